import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import pino, { Logger } from 'pino';
import type { AppConfig } from './config/app-config';

/** Customers' signed links carry their credential in the path: logged as `/portal/…`, never the token. */
export function redactPath(path: string): string {
  return path.replace(/^\/(portal|rca)\/[^/]+/, '/$1/…');
}

/**
 * Structured JSON logs with the request id. Requests are logged by method, path and status
 * only: no headers (tokens) and no query strings or bodies (customer data).
 */

export function loggerOptions(root: Logger): Params {
  return {
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    pinoHttp: {
      logger: root,
      genReqId: (req: IncomingMessage) => (req.id as string | undefined) ?? randomUUID(),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: redactPath(req.url.split('?')[0]),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // Load balancers poll /health every few seconds. Under the middleware `url` is relative to
      // the matched route; `originalUrl` is what the client asked for.
      autoLogging: {
        ignore: (req: IncomingMessage & { originalUrl?: string }) =>
          (req.originalUrl ?? req.url ?? '').split('?')[0] === '/health',
      },
    },
  };
}

/** The process's one JSON logger: start-up lines before Nest exists, then Nest and request logs. */
export function createRootLogger(config: Pick<AppConfig, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'tocsin' } });
}

/** Reuses a caller's X-Request-Id when it is a sane token, so logs correlate across services. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
}
