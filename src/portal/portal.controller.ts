import { Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { EscalationService } from '../escalation/escalation.service';
import { INCIDENT_REFERENCE_PATTERN } from '../incident/domain/incident-reference';
import { SignedLinks } from '../links/signed-links';
import { sendHtml } from '../pages/html-reply';
import { isLanguage, Language, pickLanguage } from '../pages/language';
import { RequestRcaCopy } from '../postmortem/rca-requests/request-rca-copy.use-case';
import { SUPPORT_REFERENCE_PATTERN } from '../support/domain/support-reference';
import { CreateSupportRequest } from '../support/use-cases/create-support-request.use-case';
import { FormNonces } from './form-nonce';
import {
  ESCALATION_FIELDS,
  formValues,
  parseSupportRequest,
  SUPPORT_FIELDS,
  validateEscalation,
} from './portal-forms';
import { parsePortalPath, PortalContext, PortalRoute } from './portal-request';
import { FormState, PortalViews } from './portal-views';
import { PortalIncident, PortalQueries } from './portal.queries';

/**
 * The customer portal (README, "Customer portal"): reached from the signed link in every
 * notice mail, for that contact's customer only. Stateless: the link in the path is verified on
 * every request and no cookie is set; staff tokens play no part (@Public for the bearer guard,
 * and nothing here reads an Authorization header). Plain HTML forms with Post/Redirect/Get.
 * HTML pages, so left out of OpenAPI. Forms posted from another site are refused before they
 * reach this controller (SameOriginGuard).
 */
@ApiExcludeController()
@Controller('portal')
@Public()
export class PortalController {
  constructor(
    private readonly links: SignedLinks,
    private readonly queries: PortalQueries,
    private readonly views: PortalViews,
    private readonly nonces: FormNonces,
    private readonly requestRca: RequestRcaCopy,
    private readonly escalations: EscalationService,
    private readonly supportRequests: CreateSupportRequest,
    private readonly clock: Clock,
  ) {}

  @Get('*')
  async get(
    @Param('*') path: string,
    @Query() query: Record<string, unknown>,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    return this.handle(reply, path, query.lang, accept, async (ctx, route) => {
      switch (route.page) {
        case 'home':
          return send(reply, await this.views.home(ctx));
        case 'incident': {
          const incident = await this.findIncident(ctx, route.reference);
          if (!incident || route.action) return send(reply, this.views.notFound(ctx), 404);
          const done = typeof query.done === 'string' ? query.done : undefined;
          return send(reply, await this.views.incident(ctx, incident, { done }));
        }
        case 'support': {
          if (!route.reference) return send(reply, this.views.support(ctx));
          const request = SUPPORT_REFERENCE_PATTERN.test(route.reference)
            ? await this.queries.supportRequest(ctx.contact.customerId, route.reference)
            : undefined;
          if (!request) return send(reply, this.views.notFound(ctx), 404);
          return send(reply, this.views.supportSent(ctx, request));
        }
        default:
          return send(reply, this.views.notFound(ctx), 404);
      }
    });
  }

  @Post('*')
  async post(
    @Param('*') path: string,
    @Query('lang') langParam: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.handle(reply, path, langParam, accept, async (ctx, route) => {
      const body = request.body;
      if (route.page === 'incident' && route.action) {
        const incident = await this.findIncident(ctx, route.reference);
        if (!incident) return send(reply, this.views.notFound(ctx), 404);
        return route.action === 'rca-request'
          ? this.postRcaRequest(ctx, incident, body, reply)
          : this.postEscalation(ctx, incident, body, reply);
      }
      if (route.page === 'support' && !route.reference) return this.postSupportRequest(ctx, body, reply);
      return send(reply, this.views.notFound(ctx), 404);
    });
  }

  private async postRcaRequest(
    ctx: PortalContext,
    incident: PortalIncident,
    body: unknown,
    reply: FastifyReply,
  ) {
    const nonce = this.nonces.check(ctx.token, `rca:${incident.id}`, field(body, '_form'));
    if (!nonce.ok) {
      const html = await this.views.incident(ctx, incident, { rca: { formError: nonceError(nonce.reason) } });
      return send(reply, html, nonce.reason === 'expired' ? 400 : 403);
    }
    const last = await this.queries.lastRcaRequestAt(ctx.contact.contactId, incident.id);
    // The same rendered form sent twice (double click, reload) records one request.
    if (!last || last < nonce.issuedAt) {
      await this.requestRca.execute(
        { incidentReference: incident.reference, contactId: ctx.contact.contactId, language: ctx.lang },
        { channel: 'portal', customerId: ctx.contact.customerId },
      );
    }
    return redirect(reply, ctx.url(`/incidents/${incident.reference}`, { done: 'rca' }, 'rca'));
  }

  private async postEscalation(
    ctx: PortalContext,
    incident: PortalIncident,
    body: unknown,
    reply: FastifyReply,
  ) {
    const values = formValues(body, ESCALATION_FIELDS);
    const rerender = async (status: number, state: Omit<FormState, 'values'>) =>
      send(reply, await this.views.incident(ctx, incident, { escalation: { values, ...state } }), status);
    const nonce = this.nonces.check(ctx.token, `escalate:${incident.id}`, field(body, '_form'));
    if (!nonce.ok)
      return rerender(nonce.reason === 'expired' ? 400 : 403, { formError: nonceError(nonce.reason) });
    const errors = validateEscalation(values);
    if (errors.length) return rerender(400, { errors });
    if (!incident.open) return rerender(409, { formError: 'portal.error.notOpen' });
    const earlier = await this.queries.escalationRequests(ctx.contact.customerId, incident.id);
    if (earlier.some((e) => new Date(e.at) >= nonce.issuedAt)) {
      return redirect(reply, ctx.url(`/incidents/${incident.reference}`, { done: 'escalated' }, 'escalate'));
    }
    try {
      const { escalation } = await this.escalations.escalateForContact(incident.id, ctx.actor, values.reason);
      const done = escalation ? 'escalated' : 'escalation-recorded';
      return redirect(reply, ctx.url(`/incidents/${incident.reference}`, { done }, 'escalate'));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'incident.not_open') {
        return rerender(409, { formError: 'portal.error.notOpen' });
      }
      throw error;
    }
  }

  private async postSupportRequest(ctx: PortalContext, body: unknown, reply: FastifyReply) {
    const values = formValues(body, SUPPORT_FIELDS);
    const nonce = this.nonces.check(ctx.token, 'support', field(body, '_form'));
    if (!nonce.ok) {
      return send(
        reply,
        this.views.support(ctx, { values, formError: nonceError(nonce.reason) }),
        nonce.reason === 'expired' ? 400 : 403,
      );
    }
    const now = this.clock.now();
    const parsed = parseSupportRequest(values, ctx.contact.customerName, this.views.timezone, now);
    if (!parsed.input) return send(reply, this.views.support(ctx, { values, errors: parsed.errors }), 400);
    const duplicate = await this.queries.recentSupportRequest(
      ctx.contact.contactId,
      parsed.input.description,
      nonce.issuedAt,
    );
    const reference =
      duplicate ?? (await this.supportRequests.submitFromPortal(parsed.input, ctx.actor)).reference;
    return redirect(reply, ctx.url(`/support/${reference}`));
  }

  /**
   * Verifies the link, finds its contact and picks the language, then runs `page`. A link that
   * does not verify, or whose contact is gone, gets the same refusal page in the browser's
   * language, whatever the path after it.
   */
  private async handle(
    reply: FastifyReply,
    path: string,
    langParam: unknown,
    accept: string | undefined,
    page: (ctx: PortalContext, route: PortalRoute) => Promise<FastifyReply>,
  ): Promise<FastifyReply> {
    const override: Language | undefined = isLanguage(langParam) ? langParam : undefined;
    const { token, route } = parsePortalPath(path);
    let ctx: PortalContext;
    try {
      const grant = this.links.verify(token, 'portal');
      const contact = await this.queries.contact(grant.customerId, grant.contactId);
      if (!contact)
        return send(reply, this.views.refused(pickLanguage(langParam, accept), 'link.invalid'), 403);
      const lang =
        override ?? (isLanguage(contact.language) ? contact.language : pickLanguage(undefined, accept));
      ctx = new PortalContext(token, contact, lang, override);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'forbidden') {
        return send(reply, this.views.refused(pickLanguage(langParam, accept), error.code), 403);
      }
      throw error;
    }
    return page(ctx, route);
  }

  private async findIncident(ctx: PortalContext, reference: string): Promise<PortalIncident | undefined> {
    // Not this customer's, or no such incident: the same 404.
    return INCIDENT_REFERENCE_PATTERN.test(reference)
      ? this.queries.incident(ctx.contact.customerId, reference)
      : undefined;
  }
}

function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

function nonceError(reason: 'invalid' | 'expired'): string {
  return reason === 'expired' ? 'portal.error.formExpired' : 'portal.error.formInvalid';
}

/** The link is in the URL: never cached, never sent on as a referrer, never indexed. */
function send(reply: FastifyReply, html: string, status = 200): FastifyReply {
  void reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex, nofollow');
  return sendHtml(reply, html, { status });
}

function redirect(reply: FastifyReply, location: string): FastifyReply {
  return reply
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .redirect(location, 303);
}
