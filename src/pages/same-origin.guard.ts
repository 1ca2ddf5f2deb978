import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';

type Headers = Record<string, string | string[] | undefined>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard: a state-changing request to a page route (anything outside /api/) that another
 * site made the browser send is refused before its handler runs, so no cookie is set and nothing
 * is stored (login CSRF on /board/login, forged portal forms). Global so that a page route added
 * later is covered without remembering a decorator. The API is left alone: it authenticates with
 * a bearer header, which a browser never adds to a cross-site request.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  private readonly publicHost: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.publicHost = new URL(config.publicBaseUrl).host;
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (SAFE_METHODS.has(request.method)) return true;
    // The matched route's pattern, not the raw URL, decides what is API.
    const route = request.routeOptions.url ?? request.url;
    if (route === '/api' || route.startsWith('/api/')) return true;
    if (isCrossSite(request.headers, this.publicHost)) {
      throw new ForbiddenError('cross_site_request', 'Forms of this site cannot be posted from another site');
    }
    return true;
  }
}

/**
 * A request another site made the browser send. Browsers say where a request comes from with
 * Sec-Fetch-Site; older ones only with Origin, which is "null" under our no-referrer policy
 * even from our own pages, so only a named foreign origin counts. A client that sends neither
 * (curl) is no browser a site could drive, and still needs its credential (a portal link and
 * form nonce, a staff token).
 */
export function isCrossSite(headers: Headers, publicHost: string): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return false;
  try {
    const host = new URL(origin).host;
    return host !== headers.host && host !== publicHost;
  } catch {
    return true;
  }
}
