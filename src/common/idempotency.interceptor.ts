import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { ConflictError, DomainError, ValidationError } from './domain-error';
import { IdempotencyKey } from './idempotency-key.entity';

const HEADER = 'idempotency-key';

/**
 * `Idempotency-Key` on POST (per token): the first request acts and its response is kept;
 * a retry with the same key and body gets that response again without acting; the same key
 * with another body is refused (422). A failed request frees its key so it can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const key = request.headers[HEADER];
    if (request.method !== 'POST' || key === undefined || !request.actor) return next.handle();
    if (typeof key !== 'string' || key.length < 1 || key.length > 200) {
      throw ValidationError.field(
        'Idempotency-Key',
        'length',
        'The Idempotency-Key header must be 1 to 200 characters',
      );
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    return from(this.run(request, reply, key, request.actor.tokenId, status, next));
  }

  private async run(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    tokenId: string,
    status: number,
    next: CallHandler,
  ): Promise<unknown> {
    const path = request.url.split('?')[0];
    const requestHash = createHash('sha256')
      .update(JSON.stringify([request.method, path, request.body ?? null]))
      .digest('hex');
    const repo = this.db.getRepository(IdempotencyKey);
    const claimed = await repo
      .createQueryBuilder()
      .insert()
      .values({ tokenId, key, method: request.method, path, requestHash })
      .orIgnore()
      .returning(['key'])
      .execute();

    if (claimed.raw.length === 0) {
      const stored = await repo.findOneByOrFail({ tokenId, key });
      if (stored.requestHash !== requestHash) {
        throw new DomainError(
          'unprocessable',
          'idempotency.key_reused',
          'This Idempotency-Key was used for a different request',
        );
      }
      if (stored.statusCode === null) {
        throw new ConflictError(
          'idempotency.in_progress',
          'A request with this Idempotency-Key is still being processed',
        );
      }
      void reply.header('idempotent-replayed', 'true');
      return stored.response;
    }

    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      // Round-trip through JSON so the replay is the JSON value the first caller received (Dates as
      // their strings); jsonb keeps the values, not the order of an object's keys.
      const response = body === undefined ? null : JSON.parse(JSON.stringify(body));
      await repo.update({ tokenId, key }, { statusCode: status, response });
      return body;
    } catch (error) {
      await repo.delete({ tokenId, key });
      throw error;
    }
  }
}
