import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsRelations, In } from 'typeorm';
import type { Actor } from '../auth/roles';
import { Page } from '../common/pagination';
import { NotFoundError } from '../common/domain-error';
import { OPEN_STATUSES } from './domain/incident-status';
import { Incident } from './entities/incident.entity';
import { IncidentParticipant } from './entities/incident-participant.entity';
import { TimelineEntry } from './entities/timeline-entry.entity';
import { IncidentQuery } from './incident.dto';
import { escapeLike } from '../common/query-params';
import { IncidentStore } from './incident-store';

const FULL: FindOptionsRelations<Incident> = {
  commander: true,
  services: true,
  participants: { staffMember: true },
};

/** Read side of the incident aggregate: one incident with its parts, filtered lists, the timeline. */
@Injectable()
export class IncidentQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: IncidentStore,
  ) {}

  /** The incident with commander, services and participants, as the actor may see it. */
  async get(idOrReference: string, actor: Actor, em: EntityManager = this.db.manager): Promise<Incident> {
    const { id } = await this.store.get(em, idOrReference, actor);
    return this.load(em, id);
  }

  /** Loads with all parts, without a visibility check: for use cases that have already checked. */
  async load(em: EntityManager, id: string): Promise<Incident> {
    // find, not findOne: LIMIT 1 over one-to-many joins costs TypeORM an extra DISTINCT query.
    const [incident] = await em.getRepository(Incident).find({ where: { id }, relations: FULL });
    if (!incident) throw new NotFoundError('incident', id);
    return incident;
  }

  async list(query: IncidentQuery, actor: Actor): Promise<Page<Incident>> {
    const qb = this.db.getRepository(Incident).createQueryBuilder('i');
    this.store.applyVisibility(qb, actor);
    if (query.status?.length) qb.andWhere('i.status IN (:...statuses)', { statuses: query.status });
    if (query.open === true) qb.andWhere('i.status IN (:...open)', { open: OPEN_STATUSES });
    if (query.open === false) qb.andWhere('i.status NOT IN (:...open)', { open: OPEN_STATUSES });
    if (query.severity?.length) qb.andWhere('i.severity IN (:...severities)', { severities: query.severity });
    if (query.kind) qb.andWhere('i.kind = :kind', { kind: query.kind });
    if (query.commanderId) qb.andWhere('i.commander_id = :commanderId', { commanderId: query.commanderId });
    if (query.serviceId) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service_id = :serviceId)',
        {
          serviceId: query.serviceId,
        },
      );
    }
    if (query.q) {
      qb.andWhere("(i.title ILIKE :q ESCAPE '\\' OR i.reference ILIKE :q ESCAPE '\\')", {
        q: `%${escapeLike(query.q)}%`,
      });
    }
    if (query.declaredFrom) qb.andWhere('i.declared_at >= :from', { from: query.declaredFrom });
    if (query.declaredTo) qb.andWhere('i.declared_at < :to', { to: query.declaredTo });

    const [page, total] = await qb
      .orderBy('i.declared_at', 'DESC')
      .addOrderBy('i.reference', 'DESC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    const loaded = page.length
      ? await this.db
          .getRepository(Incident)
          .find({ where: { id: In(page.map((i) => i.id)) }, relations: FULL })
      : [];
    const items = page.map((row) => loaded.find((incident) => incident.id === row.id)!);
    return { items, total, limit: query.limit, offset: query.offset };
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
