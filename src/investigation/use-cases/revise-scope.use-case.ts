import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError, ValidationError } from '../../common/domain-error';
import { resolveServices } from '../../incident/catalogue/catalogue.service';
import { Customer } from '../../incident/catalogue/customer.entity';
import { IncidentStore } from '../../incident/incident-store';
import { appendTimeline } from '../../incident/timeline';
import { ScopeRevision } from '../entities/scope-revision.entity';
import { ReviseScopeDto } from '../investigation.dto';
import { lockOpenIncident } from '../investigation-record';

/** `PUT …/investigation`: a new revision of the problem's scope; the earlier ones stay. */
@Injectable()
export class ReviseScope {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
  ) {}

  execute(idOrReference: string, input: ReviseScopeDto, actor: Actor): Promise<ScopeRevision> {
    const { baseRevision, ...scope } = input;
    if (Object.values(scope).every((value) => value === undefined)) {
      throw ValidationError.field('body', 'nonEmpty', 'Give at least one field of the scope');
    }
    return this.db.transaction(async (em) => {
      const incident = await lockOpenIncident(em, this.store, idOrReference, actor);
      const at = this.clock.now();
      if (scope.startedAt && scope.startedAt > at) {
        throw ValidationError.field('startedAt', 'notInFuture', 'startedAt must not be in the future');
      }
      const serviceIds = scope.serviceIds ?? [];
      const customerIds = scope.customerIds ?? [];
      await resolveServices(em, serviceIds);
      await requireCustomers(em, customerIds);

      const [{ last }] = await em.query(
        'SELECT coalesce(max(revision), 0)::int AS last FROM scope_revisions WHERE incident_id = $1',
        [incident.id],
      );
      if (baseRevision !== undefined && baseRevision !== last) {
        throw new ConflictError(
          'scope.stale_revision',
          `The scope was revised since revision ${baseRevision}: the current one is ${last}`,
          { baseRevision, current: last },
        );
      }
      const revision = await em.getRepository(ScopeRevision).save({
        incidentId: incident.id,
        revision: last + 1,
        serviceIds,
        customerIds,
        transactions: scope.transactions ?? null,
        startedAt: scope.startedAt ?? null,
        symptoms: scope.symptoms ?? null,
        createdAt: at,
        actorId: actor.staffMemberId,
        actorName: actor.name,
      });
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'investigation.scope_revised',
        at,
        actor,
        data: {
          revision: revision.revision,
          serviceIds,
          customerIds,
          transactions: revision.transactions,
          startedAt: revision.startedAt,
          symptoms: revision.symptoms,
        },
      });
      return revision;
    });
  }
}

/** Fails with a 400 naming the first unknown customer (`customerIds[1]`). */
async function requireCustomers(em: EntityManager, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const found = await em.getRepository(Customer).find({ select: { id: true }, where: { id: In(ids) } });
  const missing = ids.findIndex((id) => !found.some((c) => c.id === id));
  if (missing >= 0) {
    throw ValidationError.field(
      `customerIds[${missing}]`,
      'exists',
      `customerIds[${missing}] ${ids[missing]} is not a known customer`,
    );
  }
}
