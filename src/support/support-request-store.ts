import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';
import { NotFoundError } from '../common/domain-error';
import { formatSupportReference, SUPPORT_REFERENCE_PATTERN } from './domain/support-reference';
import { UUID_PATTERN } from '../common/query-params';
import { SupportRequest } from './support-request.entity';

export interface SupportRequestEventInput {
  requestId: string;
  type: string;
  at: Date;
  /** Staff, or a customer contact through the portal (no staff id). */
  actor: Pick<Actor, 'name'> & { staffMemberId: string | null };
  data?: Record<string, unknown>;
}

/** Finding support requests by id or reference, numbering them, and appending to their history. */
@Injectable()
export class SupportRequestStore {
  /** By id or reference (`SR-2026-000042`); with `lock`, held until the transaction ends. */
  async get(
    em: EntityManager,
    idOrReference: string,
    options: { lock?: boolean } = {},
  ): Promise<SupportRequest> {
    const qb = em.getRepository(SupportRequest).createQueryBuilder('r');
    if (UUID_PATTERN.test(idOrReference)) qb.where('r.id = :id', { id: idOrReference });
    else if (SUPPORT_REFERENCE_PATTERN.test(idOrReference))
      qb.where('r.reference = :ref', { ref: idOrReference });
    else throw new NotFoundError('support_request', idOrReference);
    if (options.lock) qb.setLock('pessimistic_write');
    const request = await qb.getOne();
    if (!request) throw new NotFoundError('support_request', idOrReference);
    return request;
  }

  /** Next reference of the year; the counter row stays locked until the creating transaction ends. */
  async nextReference(em: EntityManager, year: number): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO support_request_counters (year, last_sequence) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_sequence = support_request_counters.last_sequence + 1
       RETURNING last_sequence`,
      [year],
    );
    return formatSupportReference(year, row.last_sequence);
  }

  /** Appends one entry to the request's history; call it inside the transaction of the change. */
  async appendEvent(em: EntityManager, event: SupportRequestEventInput): Promise<void> {
    await em.query(
      `INSERT INTO support_request_events (request_id, at, actor_id, actor_name, type, data)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        event.requestId,
        event.at,
        event.actor.staffMemberId,
        event.actor.name,
        event.type,
        JSON.stringify(event.data ?? {}),
      ],
    );
  }
}
