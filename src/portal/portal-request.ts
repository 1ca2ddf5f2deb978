import type { Language } from '../pages/language';
import type { ContactActor } from '../incident/timeline';
import type { PortalContact } from './portal.queries';

/** The pages under one link: `/portal/<token>`, `…/incidents/<ref>[/<action>]`, `…/support[/<ref>]`. */
export type PortalRoute =
  | { page: 'home' }
  | { page: 'incident'; reference: string; action?: 'rca-request' | 'escalation' }
  | { page: 'support'; reference?: string }
  | { page: 'unknown' };

/**
 * Splits the path after `/portal/`. A wildcard route, not `:token`: a link token is longer than
 * Fastify's 100-character limit on path parameters.
 */
export function parsePortalPath(path: string): { token: string; route: PortalRoute } {
  const [token = '', ...rest] = (path ?? '').split('/');
  const segments = rest.filter((segment, i) => segment !== '' || i < rest.length - 1);
  const [first, second, third, ...more] = segments;
  if (segments.length === 0) return { token, route: { page: 'home' } };
  if (first === 'incidents' && second && more.length === 0) {
    if (third === undefined) return { token, route: { page: 'incident', reference: second } };
    if (third === 'rca-request' || third === 'escalation') {
      return { token, route: { page: 'incident', reference: second, action: third } };
    }
  }
  if (first === 'support' && third === undefined)
    return { token, route: { page: 'support', reference: second } };
  return { token, route: { page: 'unknown' } };
}

/** One verified request: the link's contact, the page language and how to build the portal's URLs. */
export class PortalContext {
  constructor(
    readonly token: string,
    readonly contact: PortalContact,
    readonly lang: Language,
    /** Set when `?lang=` chose the language: kept on every link and form of the portal. */
    private readonly langOverride: Language | undefined,
  ) {}

  /** `/portal/<token>` + `path`, with the chosen language and `params` in the query string. */
  url(path = '', params: Record<string, string> = {}, hash = ''): string {
    const query = new URLSearchParams({
      ...(this.langOverride ? { lang: this.langOverride } : {}),
      ...params,
    });
    const search = query.size ? `?${query.toString()}` : '';
    return `/portal/${this.token}${path}${search}${hash ? `#${hash}` : ''}`;
  }

  /** The contact as the actor of what it does here (escalations, requests). */
  get actor(): ContactActor {
    return {
      staffMemberId: null,
      name: `${this.contact.name} (${this.contact.customerName})`,
      customerId: this.contact.customerId,
      contactId: this.contact.contactId,
    };
  }
}
