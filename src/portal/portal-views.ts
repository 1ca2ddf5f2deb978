import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SignedLinks } from '../links/signed-links';
import { PageRenderer } from '../pages/page-renderer';
import { RcaCustomerEdition } from '../postmortem/rca-publication';
import { FormNonces } from './form-nonce';
import type { FieldError, FormValues } from './portal-forms';
import { PortalContext } from './portal-request';
import { PortalIncident, PortalQueries, PortalUpdate } from './portal.queries';

/** A form's state on a page: where it posts, its nonce, what was typed, what is wrong. */
export interface FormState {
  values?: FormValues;
  errors?: FieldError[];
  /** A message about the whole form (expired, not open any more…), a locale key. */
  formError?: string;
}

/** Outcomes a POST redirects with (`?done=`): fixed keys, nothing from the request is echoed. */
export const DONE_KEYS = ['rca', 'escalated', 'escalation-recorded'] as const;

/**
 * Builds the portal's pages (view models → PageRenderer). Texts a customer reads are the
 * notices' approved texts or fixed messages; a breach shows its reference and those texts only.
 */
@Injectable()
export class PortalViews {
  constructor(
    private readonly queries: PortalQueries,
    private readonly pages: PageRenderer,
    private readonly nonces: FormNonces,
    private readonly links: SignedLinks,
    private readonly edition: RcaCustomerEdition,
    private readonly clock: Clock,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The business time zone: dates on the pages, the support form's event time. */
  get timezone(): string {
    return this.pages.timezone;
  }

  async home(ctx: PortalContext): Promise<string> {
    const incidents = await this.queries.incidents(ctx.contact.customerId, this.clock.now());
    const updates = await this.queries.updates(
      ctx.contact.customerId,
      incidents.map((i) => i.id),
    );
    const items = incidents.map((incident) => {
      const list = updates.get(incident.id) ?? [];
      return {
        ...this.incidentFacts(ctx, incident, list),
        href: ctx.url(`/incidents/${incident.reference}`),
        lastUpdateAt: list.at(-1)?.at ?? null,
      };
    });
    return this.page(ctx, 'portal/index', this.pages.message(ctx.lang, 'portal.title'), '', {
      contact: ctx.contact,
      open: items.filter((i) => i.open),
      past: items.filter((i) => !i.open),
      days: 90,
      supportHref: ctx.url('/support'),
    });
  }

  async incident(
    ctx: PortalContext,
    incident: PortalIncident,
    options: { done?: string; escalation?: FormState; rca?: FormState } = {},
  ): Promise<string> {
    const customerId = ctx.contact.customerId;
    const updates = (await this.queries.updates(customerId, [incident.id])).get(incident.id) ?? [];
    const facts = this.incidentFacts(ctx, incident, updates);
    const path = `/incidents/${incident.reference}`;
    return this.page(ctx, 'portal/incident', `${incident.reference} · ${facts.displayTitle}`, path, {
      contact: ctx.contact,
      incident: facts,
      updates: updates.map((u) => this.update(ctx, u, incident.breach)),
      done: DONE_KEYS.includes(options.done as never) ? options.done : undefined,
      rca: await this.rca(ctx, incident, options.rca ?? {}),
      escalation: {
        open: incident.open,
        requests: await this.queries.escalationRequests(customerId, incident.id),
        action: ctx.url(`${path}/escalation`),
        nonce: this.nonces.issue(ctx.token, `escalate:${incident.id}`),
        ...form(options.escalation ?? {}),
      },
      homeHref: ctx.url(),
      supportHref: ctx.url('/support'),
    });
  }

  support(ctx: PortalContext, state: FormState = {}): string {
    const values = state.values ?? {
      contactName: ctx.contact.name,
      contactEmail: ctx.contact.email,
      contactPhone: ctx.contact.phone ?? '',
    };
    return this.page(
      ctx,
      'portal/support',
      this.pages.message(ctx.lang, 'portal.support.title'),
      '/support',
      {
        contact: ctx.contact,
        action: ctx.url('/support'),
        nonce: this.nonces.issue(ctx.token, 'support'),
        homeHref: ctx.url(),
        timezone: this.pages.timezone,
        maxEventAt: DateTime.fromJSDate(this.clock.now(), { zone: this.pages.timezone }).toFormat(
          "yyyy-MM-dd'T'HH:mm",
        ),
        ...form({ ...state, values }),
      },
    );
  }

  supportSent(ctx: PortalContext, request: { reference: string; createdAt: Date; responseDueAt: Date }) {
    return this.page(
      ctx,
      'portal/support-sent',
      this.pages.message(ctx.lang, 'portal.supportSent.title'),
      `/support/${request.reference}`,
      { contact: ctx.contact, request, homeHref: ctx.url(), supportHref: ctx.url('/support') },
    );
  }

  notFound(ctx: PortalContext): string {
    return this.page(ctx, 'portal/not-found', this.pages.message(ctx.lang, 'portal.notFound.title'), '', {
      homeHref: ctx.url(),
    });
  }

  /** A link that is forged, altered, expired or no longer names a contact: nothing more is said. */
  refused(lang: PortalContext['lang'], code: string): string {
    const expired = code === 'link.expired';
    return this.pages.page(
      'portal/refused',
      lang,
      { expired },
      { title: this.pages.message(lang, 'portal.refused.title') },
    );
  }

  private page(ctx: PortalContext, view: string, title: string, path: string, context: object): string {
    // The language switch links drop other parameters on purpose (no `done` banner replayed).
    return this.pages.page(view, ctx.lang, context, {
      title,
      languageLinks: true,
      path: `/portal/${ctx.token}${path}`,
    });
  }

  private incidentFacts(ctx: PortalContext, incident: PortalIncident, updates: PortalUpdate[]) {
    const last = updates.at(-1);
    return {
      ...incident,
      displayTitle: incident.breach
        ? this.pages.message(ctx.lang, 'portal.breach.title')
        : (incident.title ?? ''),
      // A breach shows when the customer was told, not when the incident was declared.
      notifiedAt: updates[0]?.at ?? null,
      nextUpdateAt: incident.open ? (last?.nextUpdateAt ?? null) : null,
    };
  }

  private update(ctx: PortalContext, update: PortalUpdate, breach: boolean) {
    const key = (name: string) => `portal.${breach ? 'breach' : 'update'}.${name}`;
    const resolution = update.kind === 'resolution';
    const news =
      update.message ??
      (update.kind === 'holding' || resolution
        ? this.pages.message(ctx.lang, key(`default.${update.kind}`))
        : null);
    return {
      kind: update.kind,
      at: update.at,
      label: this.pages.message(ctx.lang, `portal.update.kind.${update.kind}`),
      news,
      // Breach notices say what it means only when the approved text does.
      observed:
        update.observed ??
        (breach || resolution ? null : this.pages.message(ctx.lang, 'portal.update.default.observed')),
      actions:
        update.actions ??
        (resolution && !breach ? null : this.pages.message(ctx.lang, key('default.actions'))),
      observedLabel: this.pages.message(ctx.lang, key('observed')),
      nextUpdateAt: update.nextUpdateAt,
      final: resolution,
    };
  }

  /** The RCA: requested (waiting), e-mailed, refused, or published with a download link. */
  private async rca(ctx: PortalContext, incident: PortalIncident, state: FormState) {
    const requests = await this.queries.rcaRequests(ctx.contact.customerId, incident.id);
    const version = await this.edition.latestPublishedVersion(this.db.manager, incident.id);
    const latest = requests[0];
    const download =
      version === null
        ? null
        : `/rca/${this.links.sign(
            {
              purpose: 'rca',
              customerId: ctx.contact.customerId,
              contactId: ctx.contact.contactId,
              incidentId: incident.id,
              version,
              language: ctx.lang,
            },
            this.config.links.rcaTtlDays,
          )}`;
    return {
      published: version !== null,
      version,
      pdfHref: download,
      htmlHref: download ? `${download}?format=html` : null,
      latest,
      waiting: latest?.status === 'waiting',
      // Asking again is offered unless a request already waits for the publication.
      canRequest: latest?.status !== 'waiting',
      action: ctx.url(`/incidents/${incident.reference}/rca-request`),
      nonce: this.nonces.issue(ctx.token, `rca:${incident.id}`),
      ...form(state),
    };
  }
}

/** Errors by field for the template, plus the error summary's list. */
function form(state: FormState) {
  const errorFor: Record<string, string> = {};
  for (const error of state.errors ?? []) errorFor[error.field] ??= error.key;
  return {
    values: state.values ?? {},
    errorFor,
    errorList: Object.entries(errorFor).map(([field, key]) => ({ field, key })),
    formError: state.formError,
    hasErrors: Object.keys(errorFor).length > 0 || !!state.formError,
  };
}
