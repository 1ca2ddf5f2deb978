import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';
import { Page } from '../common/pagination';
import { NotFoundError } from '../common/domain-error';
import { OPEN_STATUSES } from './domain/incident-status';
import { IncidentParticipant } from './entities/incident-participant.entity';
import { TimelineEntry } from './entities/timeline-entry.entity';
import { IncidentQuery } from './incident.dto';
import { escapeLike, UUID_PATTERN } from '../common/query-params';
import { INCIDENT_REFERENCE_PATTERN } from './domain/incident-reference';
import { IncidentView, IncidentViewRow } from './incident.view';
import { IncidentStore } from './incident-store';
import { preparedQuery, statementName } from '../database/prepared-query';

/**
 * The columns of IncidentView on alias `i` (with INCIDENT_VIEW_JOIN): the incident's own,
 * its commander, its services and its active participants as JSON (joinedAt in epoch ms,
 * exact: the same millisecond as the driver's Date).
 */
const INCIDENT_VIEW_SELECT = `
  i.id, i.reference, i.title, i.summary, i.kind, i.severity, i.status, i.commander_id,
  c.name AS commander_name, c.email AS commander_email,
  i.declared_at, i.response_due_at, i.resolution_due_at, i.resolved_at, i.resolution_summary,
  i.postmortem_approved_at, i.closed_at, i.close_reason, i.impact_defined_at, i.first_response_at,
  i.update_cadence_minutes, i.next_update_due_at, i.escalation_level, i.updated_at, i.version,
  (SELECT coalesce(json_agg(json_build_object(
            'id', s.id, 'key', s.key, 'name', s.name, 'description', s.description)), '[]')
     FROM incident_services x JOIN services s ON s.id = x.service_id
    WHERE x.incident_id = i.id) AS services,
  (SELECT coalesce(json_agg(json_build_object(
            'id', p.id, 'staffMemberId', p.staff_member_id, 'name', m.name, 'email', m.email,
            'role', p.role, 'domain', p.domain,
            'joinedAt', floor(extract(epoch FROM p.joined_at) * 1000)::bigint)
          ORDER BY p.joined_at, p.id), '[]')
     FROM incident_participants p LEFT JOIN staff_members m ON m.id = p.staff_member_id
    WHERE p.incident_id = i.id AND p.left_at IS NULL) AS participants`;
const INCIDENT_VIEW_JOIN = 'LEFT JOIN staff_members c ON c.id = i.commander_id';
/** One incident's view, to be narrowed by a WHERE on alias `i` (GET and write responses). */
const ONE_INCIDENT_VIEW = `SELECT ${INCIDENT_VIEW_SELECT} FROM incidents i ${INCIDENT_VIEW_JOIN}`;

/** Read side of the incident aggregate: one incident with its parts, filtered lists, the timeline. */
@Injectable()
export class IncidentQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: IncidentStore,
  ) {}

  /**
   * GET /incidents/:id: the view as the actor may see it, in one statement (visibility, the
   * incident, its commander, services and active participants), mapped from the raw row.
   */
  async view(idOrReference: string, actor: Actor): Promise<IncidentView> {
    let match: string;
    if (UUID_PATTERN.test(idOrReference)) match = 'i.id = $1';
    else if (INCIDENT_REFERENCE_PATTERN.test(idOrReference)) match = 'i.reference = $1';
    else throw new NotFoundError('incident', idOrReference);
    const params: unknown[] = [idOrReference];
    const visible = this.store.visibilitySql(actor, (value) => `$${params.push(value)}`);
    const [row] = await preparedQuery<IncidentViewRow>(
      this.db,
      `tocsin_incident_view_${match === 'i.id = $1' ? 'id' : 'ref'}${visible ? '_staff' : ''}`,
      `${ONE_INCIDENT_VIEW} WHERE ${match}${visible ? ` AND ${visible}` : ''}`,
      params,
    );
    if (!row) throw new NotFoundError('incident', idOrReference);
    return IncidentView.fromRow(row);
  }

  /**
   * The response of a write, read with the same columns inside the write's transaction: if
   * reading it fails, the write rolls back with it (and an Idempotency-Key stays free for the
   * retry). No visibility check: the use case has checked, and the declarer of a confidential
   * incident, or a commander who just handed over, still gets what they wrote.
   */
  async viewWritten(em: EntityManager, id: string): Promise<IncidentView> {
    const rows: IncidentViewRow[] = await em.query(`${ONE_INCIDENT_VIEW} WHERE i.id = $1`, [id]);
    if (!rows[0]) throw new NotFoundError('incident', id);
    return IncidentView.fromRow(rows[0]);
  }

  /**
   * GET /incidents: the page and the total in one statement; the per-incident parts are read
   * for the page's rows only.
   */
  async list(query: IncidentQuery, actor: Actor): Promise<Page<IncidentView>> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    const visible = this.store.visibilitySql(actor, param);
    if (visible) where.push(visible);
    if (query.status?.length) where.push(`i.status = ANY(${param(query.status)}::text[])`);
    if (query.open === true) where.push(`i.status = ANY(${param(OPEN_STATUSES)}::text[])`);
    if (query.open === false) where.push(`i.status <> ALL(${param(OPEN_STATUSES)}::text[])`);
    if (query.severity?.length) where.push(`i.severity = ANY(${param(query.severity)}::int[])`);
    if (query.kind) where.push(`i.kind = ${param(query.kind)}`);
    if (query.commanderId) where.push(`i.commander_id = ${param(query.commanderId)}`);
    if (query.serviceId) {
      where.push(
        `EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service_id = ${param(query.serviceId)})`,
      );
    }
    if (query.q) {
      const q = `${param(`%${escapeLike(query.q)}%`)}::text`;
      where.push(`(i.title ILIKE ${q} ESCAPE '\\' OR i.reference ILIKE ${q} ESCAPE '\\')`);
    }
    if (query.declaredFrom) where.push(`i.declared_at >= ${param(query.declaredFrom)}`);
    if (query.declaredTo) where.push(`i.declared_at < ${param(query.declaredTo)}`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';

    // One row even for an empty page (the count's), so the total always comes back.
    const text = `SELECT n.total, ${INCIDENT_VIEW_SELECT}
         FROM (SELECT count(*)::int AS total FROM incidents i ${filter}) n
         LEFT JOIN LATERAL (
           SELECT i.* FROM incidents i ${filter}
            ORDER BY i.declared_at DESC, i.reference DESC
            LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}
         ) i ON true
         ${INCIDENT_VIEW_JOIN}
        ORDER BY i.declared_at DESC, i.reference DESC`;
    // One statement per combination of filters (a bounded set), named after its text.
    const name = statementName('tocsin_incident_list', text);
    const rows = await preparedQuery<IncidentViewRow & { total: number }>(this.db, name, text, params);
    const items = rows.filter((row) => row.id !== null).map(IncidentView.fromRow);
    return { items, total: rows[0]?.total ?? 0, limit: query.limit, offset: query.offset };
  }

  async timeline(
    idOrReference: string,
    actor: Actor,
    limit: number,
    offset: number,
  ): Promise<Page<TimelineEntry>> {
    const { id } = await this.store.get(this.db.manager, idOrReference, actor);
    const [items, total] = await this.db
      .getRepository(TimelineEntry)
      .findAndCount({ where: { incidentId: id }, order: { id: 'ASC' }, take: limit, skip: offset });
    return { items, total, limit, offset };
  }

  async participants(idOrReference: string, actor: Actor): Promise<IncidentParticipant[]> {
    const { id } = await this.store.get(this.db.manager, idOrReference, actor);
    return this.db.getRepository(IncidentParticipant).find({
      where: { incidentId: id },
      relations: { staffMember: true },
      order: { joinedAt: 'ASC', id: 'ASC' },
    });
  }
}
