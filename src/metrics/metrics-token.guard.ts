import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * With METRICS_TOKEN set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset,
 * it lets everyone through (the controller then serves the public view). A guard of its own,
 * not the staff bearer guard: a scraper holds no staff token and needs no database lookup.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    // Digests of equal length, so the comparison takes the same time whatever was sent.
    if (match && timingSafeEqual(digest(match[1]), this.expected)) return true;
    throw new HttpException(
      { code: 'unauthenticated', message: 'The metrics token is required (Authorization: Bearer …)' },
      HttpStatus.UNAUTHORIZED,
    );
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
