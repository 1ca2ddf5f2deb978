import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';
import { Page } from '../common/pagination';
import { Incident } from '../incident/entities/incident.entity';
import { IncidentStore } from '../incident/incident-store';
import { SupportReply, SupportRequest, SupportRequestEvent } from './support-request.entity';
import { SupportRequestQuery } from './support-request.dto';
import { escapeLike } from '../common/query-params';
import { SupportRequestStore } from './support-request-store';

export interface SupportRequestDetail {
  request: SupportRequest;
  replies: SupportReply[];
  events: SupportRequestEvent[];
}

/**
 * Read side: one request with its replies and history, filtered lists. A link to a
 * confidential incident the caller may not see is shown as no link, so its existence does
 * not leak through support requests.
 */
@Injectable()
export class SupportRequestQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: SupportRequestStore,
    private readonly incidents: IncidentStore,
  ) {}

  async detail(idOrReference: string, actor: Actor): Promise<SupportRequestDetail> {
    const em = this.db.manager;
    const request = await this.store.get(em, idOrReference);
    const [replies, events] = await Promise.all([
      em
        .getRepository(SupportReply)
        .find({ where: { requestId: request.id }, order: { at: 'ASC', id: 'ASC' } }),
      em.getRepository(SupportRequestEvent).find({ where: { requestId: request.id }, order: { id: 'ASC' } }),
    ]);
    const linked = events.map((e) => e.data.incidentId).filter((id): id is string => typeof id === 'string');
    if (request.incidentId) linked.push(request.incidentId);
    const visible = await this.visibleIncidents(em, linked, actor);
    return {
      request: this.masked(request, visible),
      replies,
      events: events.map((e) =>
        typeof e.data.incidentId === 'string' && !visible.has(e.data.incidentId)
          ? { ...e, data: { ...e.data, incidentId: null, incidentReference: null } }
          : e,
      ),
    };
  }

  async list(query: SupportRequestQuery, actor: Actor): Promise<Page<SupportRequest>> {
    const page = { limit: query.limit, offset: query.offset };
    if (query.incidentId && !(await this.visibleIncidents(this.db.manager, [query.incidentId], actor)).size) {
      return { items: [], total: 0, ...page };
    }
    const qb = this.db.getRepository(SupportRequest).createQueryBuilder('r');
    if (query.status?.length) qb.andWhere('r.status IN (:...statuses)', { statuses: query.status });
    if (query.severity?.length) qb.andWhere('r.severity IN (:...severities)', { severities: query.severity });
    if (query.incidentId) qb.andWhere('r.incident_id = :incidentId', { incidentId: query.incidentId });
    if (query.q) {
      qb.andWhere(
        `(r.reference ILIKE :q ESCAPE '\\' OR r.company ILIKE :q ESCAPE '\\'
          OR r.contact_name ILIKE :q ESCAPE '\\' OR r.contact_email ILIKE :q ESCAPE '\\')`,
        { q: `%${escapeLike(query.q)}%` },
      );
    }
    const [items, total] = await qb
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.reference', 'DESC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    const visible = await this.visibleIncidents(
      this.db.manager,
      items.map((r) => r.incidentId).filter((id): id is string => id !== null),
      actor,
    );
    return { items: items.map((r) => this.masked(r, visible)), total, ...page };
  }

  private masked(request: SupportRequest, visible: Set<string>): SupportRequest {
    return request.incidentId && !visible.has(request.incidentId)
      ? { ...request, incidentId: null }
      : request;
  }

  private async visibleIncidents(em: EntityManager, ids: string[], actor: Actor): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const qb = em
      .getRepository(Incident)
      .createQueryBuilder('i')
      .select('i.id', 'id')
      .where('i.id IN (:...ids)', { ids: [...new Set(ids)] });
    this.incidents.applyVisibility(qb, actor);
    const rows: { id: string }[] = await qb.getRawMany();
    return new Set(rows.map((r) => r.id));
  }
}
