import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../auth/roles';
import { isAdmin } from '../auth/roles';
import { NotFoundError } from '../common/domain-error';
import { formatIncidentReference, INCIDENT_REFERENCE_PATTERN } from './domain/incident-reference';
import { UUID_PATTERN } from '../common/query-params';
import { Incident } from './entities/incident.entity';

/** A security breach is visible only to its active participants (admins skip the condition). */
const visibleTo = (staffId: string) =>
  `(i.kind <> 'security_breach' OR EXISTS (
      SELECT 1 FROM incident_participants vp
      WHERE vp.incident_id = i.id AND vp.staff_member_id = ${staffId} AND vp.left_at IS NULL))`;

/**
 * Reading incidents with confidentiality applied: a security-breach incident exists only for
 * admins and its active participants. For everyone else it is "not found", so its existence
 * does not leak. Every module that reads incidents goes through here.
 */
@Injectable()
export class IncidentStore {
  /** Restricts a query on alias `i` to incidents the actor may see. */
  applyVisibility<T extends object>(qb: SelectQueryBuilder<T>, actor: Actor): SelectQueryBuilder<T> {
    if (isAdmin(actor)) return qb;
    return qb.andWhere(visibleTo(':visibilityStaffId'), { visibilityStaffId: actor.staffMemberId });
  }

  /**
   * The same rule for plain SQL on alias `i`: undefined for admins (no condition), else the
   * condition; `bind` adds the actor's staff member id to the query's parameters and returns
   * its placeholder (e.g. `$3`).
   */
  visibilitySql(actor: Actor, bind: (staffMemberId: string) => string): string | undefined {
    return isAdmin(actor) ? undefined : visibleTo(bind(actor.staffMemberId));
  }

  /**
   * Finds an incident by id or reference (`INC-2026-00042`) that the actor may see.
   * With `lock`, the row is locked for the rest of the transaction so changes serialise.
   */
  async get(
    em: EntityManager,
    idOrReference: string,
    actor: Actor,
    options: { lock?: boolean } = {},
  ): Promise<Incident> {
    const qb = em.getRepository(Incident).createQueryBuilder('i');
    if (UUID_PATTERN.test(idOrReference)) qb.where('i.id = :id', { id: idOrReference });
    else if (INCIDENT_REFERENCE_PATTERN.test(idOrReference))
      qb.where('i.reference = :ref', { ref: idOrReference });
    else throw new NotFoundError('incident', idOrReference);
    this.applyVisibility(qb, actor);
    if (options.lock) qb.setLock('pessimistic_write');
    const incident = await qb.getOne();
    if (!incident) throw new NotFoundError('incident', idOrReference);
    return incident;
  }

  /** Next reference of the year; the counter row stays locked until the declaring transaction ends. */
  async nextReference(em: EntityManager, year: number): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO incident_reference_counters (year, last_sequence) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_sequence = incident_reference_counters.last_sequence + 1
       RETURNING last_sequence`,
      [year],
    );
    return formatIncidentReference(year, row.last_sequence);
  }
}
