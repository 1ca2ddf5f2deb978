import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { NotFoundError } from '../../common/domain-error';
import { Page } from '../../common/pagination';
import { UUID_PATTERN } from '../../common/query-params';
import { Incident } from '../../incident/entities/incident.entity';
import { IncidentStore } from '../../incident/incident-store';
import { RcaRequest } from './rca-request.entity';
import { RcaRequestQuery } from './rca-requests.dto';

export interface RcaCopySent {
  version: number;
  deliveryId: string;
  sentAt: Date;
  deliveryStatus: string;
  acceptedAt: Date | null;
}

/**
 * Read side for staff. A request about a confidential incident the caller may not see shows no
 * incident id (the reference the customer typed stays), so its existence does not leak here.
 */
@Injectable()
export class RcaRequestQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly incidents: IncidentStore,
  ) {}

  async list(query: RcaRequestQuery, actor: Actor): Promise<Page<RcaRequest>> {
    const page = { limit: query.limit, offset: query.offset };
    const qb = this.db.getRepository(RcaRequest).createQueryBuilder('r');
    if (query.incident) {
      const incidentId = await this.visibleIncidentId(query.incident, actor);
      if (!incidentId) return { items: [], total: 0, ...page };
      qb.andWhere('r.incident_id = :incidentId', { incidentId });
    }
    if (query.status?.length) qb.andWhere('r.status IN (:...statuses)', { statuses: query.status });
    if (query.channel?.length) qb.andWhere('r.channel IN (:...channels)', { channels: query.channel });
    if (query.customer) qb.andWhere('r.customer_id = :customerId', { customerId: query.customer });
    const [items, total] = await qb
      .orderBy('r.requested_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    const visible = await this.visibleIncidents(this.db.manager, items, actor);
    return { items: items.map((r) => masked(r, visible)), total, ...page };
  }

  async detail(id: string, actor: Actor): Promise<{ request: RcaRequest; copies: RcaCopySent[] }> {
    const request = UUID_PATTERN.test(id) ? await this.db.getRepository(RcaRequest).findOneBy({ id }) : null;
    if (!request) throw new NotFoundError('rca_request', id);
    const copies: RcaCopySent[] = await this.db.query(
      `SELECT c.version, c.delivery_id AS "deliveryId", c.sent_at AS "sentAt", d.status AS "deliveryStatus",
              d.accepted_at AS "acceptedAt"
         FROM rca_copies c JOIN deliveries d ON d.id = c.delivery_id
        WHERE c.request_id = $1 ORDER BY c.version`,
      [request.id],
    );
    const visible = await this.visibleIncidents(this.db.manager, [request], actor);
    return { request: masked(request, visible), copies };
  }

  /** The request as `actor` may see it (no incident id of a confidential incident it does not see). */
  async visibleTo(request: RcaRequest, actor: Actor): Promise<RcaRequest> {
    return masked(request, await this.visibleIncidents(this.db.manager, [request], actor));
  }

  private async visibleIncidentId(idOrReference: string, actor: Actor): Promise<string | null> {
    try {
      return (await this.incidents.get(this.db.manager, idOrReference.trim().toUpperCase(), actor)).id;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  private async visibleIncidents(
    em: EntityManager,
    requests: RcaRequest[],
    actor: Actor,
  ): Promise<Set<string>> {
    const ids = [...new Set(requests.map((r) => r.incidentId).filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Set();
    const qb = em
      .getRepository(Incident)
      .createQueryBuilder('i')
      .select('i.id', 'id')
      .where('i.id IN (:...ids)', { ids });
    this.incidents.applyVisibility(qb, actor);
    const rows: { id: string }[] = await qb.getRawMany();
    return new Set(rows.map((r) => r.id));
  }
}

function masked(request: RcaRequest, visible: Set<string>): RcaRequest {
  return request.incidentId && !visible.has(request.incidentId) ? { ...request, incidentId: null } : request;
}
