import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { INCIDENT_REFERENCE_PATTERN } from '../incident/domain/incident-reference';
import { sendHtml } from '../pages/html-reply';
import { Language, pickLanguage } from '../pages/language';
import { PageRenderer } from '../pages/page-renderer';
import { HISTORY_DAYS, PublicIncident, PublicUpdate, StatusQueries } from './status.queries';

/**
 * The public status page (no token): services' current state, a 90-day strip per service,
 * incident pages with their sent updates, and an Atom feed. HTML and Atom, not JSON API, so
 * left out of OpenAPI (README, "Status page and incident board").
 */
@ApiExcludeController()
@Controller('status')
@Public()
export class StatusController {
  constructor(
    private readonly queries: StatusQueries,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async index(
    @Query('lang') langParam: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const lang = pickLanguage(langParam, accept);
    const overview = await this.queries.overview(this.clock.now(), this.pages.timezone);
    const html = this.pages.page(
      'status/index',
      lang,
      {
        ...overview,
        days: HISTORY_DAYS,
        services: overview.services.map((s) => ({ ...s, strip: strip(s.history) })),
        open: overview.open.map((i) => this.link(i, lang)),
        past: overview.past.map((i) => this.link(i, lang)),
        generatedAt: this.clock.now(),
      },
      {
        title: this.pages.message(lang, 'status.title'),
        feeds: [{ title: this.pages.message(lang, 'status.feed'), href: '/status/feed.atom' }],
        languageLinks: true,
        path: '/status',
      },
    );
    return sendHtml(reply, html);
  }

  @Get('feed.atom')
  async feed(
    @Query('lang') langParam: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const lang = pickLanguage(langParam, accept);
    const incidents = await this.queries.incidents(this.clock.now());
    const updates = await this.queries.updates(incidents.map((i) => i.id));
    const base = this.config.publicBaseUrl.replace(/\/$/, '');
    const entries = incidents
      .map((incident) => {
        const list = updates.get(incident.id) ?? [];
        const times = [incident.declaredAt, incident.resolvedAt, ...list.map((u) => u.at)].filter(
          (d): d is Date => d !== null,
        );
        return {
          ...incident,
          url: `${base}/status/incidents/${incident.reference}`,
          updated: new Date(Math.max(...times.map((d) => d.getTime()))),
          updates: list.map((u) => this.update(u, lang)).reverse(),
        };
      })
      .sort((a, b) => b.updated.getTime() - a.updated.getTime());
    const xml = this.pages.fragment('status/feed.atom', lang, {
      base,
      selfUrl: `${base}/status/feed.atom`,
      updated: entries[0]?.updated ?? new Date(0),
      entries,
    });
    return reply
      .type('application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=30')
      .send(xml);
  }

  @Get('incidents/:reference')
  async incident(
    @Param('reference') reference: string,
    @Query('lang') langParam: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const lang = pickLanguage(langParam, accept);
    const found = INCIDENT_REFERENCE_PATTERN.test(reference)
      ? await this.queries.incident(reference)
      : undefined;
    const path = `/status/incidents/${encodeURIComponent(reference)}`;
    if (!found) {
      const title = this.pages.message(lang, 'status.notFound.title');
      return sendHtml(
        reply,
        this.pages.page('status/not-found', lang, {}, { title, path, languageLinks: true }),
        {
          status: 404,
        },
      );
    }
    const html = this.pages.page(
      'status/incident',
      lang,
      {
        incident: this.link(found.incident, lang),
        // Newest first, as status pages read.
        updates: found.updates.map((u) => this.update(u, lang)).reverse(),
      },
      {
        title: `${found.incident.reference} · ${found.incident.title}`,
        feeds: [{ title: this.pages.message(lang, 'status.feed'), href: '/status/feed.atom' }],
        languageLinks: true,
        path,
      },
    );
    return sendHtml(reply, html);
  }

  private link(incident: PublicIncident, lang: Language) {
    return {
      ...incident,
      href: `/status/incidents/${incident.reference}${lang === 'en' ? '' : `?lang=${lang}`}`,
    };
  }

  /** The sent texts; a notice sent with the template's default wording gets a generic public line. */
  private update(update: PublicUpdate, lang: Language) {
    const texts = [update.observed, update.actions, update.message].filter((t): t is string => !!t?.trim());
    return {
      ...update,
      label: this.pages.message(lang, `status.update.${update.kind}`),
      paragraphs: texts.length ? texts : [this.pages.message(lang, `status.update.default.${update.kind}`)],
    };
  }
}

/** Positions of the 90 day cells in the strip's SVG (3 px wide, 1 px gap). */
function strip(history: { date: string; state: string }[]) {
  return history.map((day, index) => ({ ...day, x: index * 4 }));
}
