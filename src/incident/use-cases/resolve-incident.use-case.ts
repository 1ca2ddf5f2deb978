import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { assertTransition } from '../domain/incident-status';
import { Incident } from '../entities/incident.entity';
import { IncidentLifecycle } from '../incident-lifecycle';
import { IncidentQueries } from '../incident-queries';
import { IncidentView } from '../incident.view';
import { IncidentStore } from '../incident-store';
import { appendTimeline } from '../timeline';

/** `POST …/resolve`: the service is restored; customers get the resolution notice; the post-mortem can start. */
@Injectable()
export class ResolveIncident {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly queries: IncidentQueries,
    private readonly lifecycle: IncidentLifecycle,
  ) {}

  execute(
    idOrReference: string,
    summary: string,
    customerMessage: string | null,
    actor: Actor,
  ): Promise<IncidentView> {
    return this.db.transaction(async (em) => {
      const incident = await this.store.get(em, idOrReference, actor, { lock: true });
      assertTransition(incident.status, 'resolved');
      const at = this.clock.now();
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'incident.resolved',
        at,
        actor,
        data: {
          from: incident.status,
          summary,
          resolutionDueAt: incident.resolutionDueAt,
          late: at > incident.resolutionDueAt,
        },
      });
      Object.assign(incident, {
        status: 'resolved',
        resolvedAt: at,
        resolutionSummary: summary,
        updatedAt: at,
      });
      await em.getRepository(Incident).save(incident);
      await this.lifecycle.resolved({ em, incident, actor, customerMessage });
      return this.queries.viewWritten(em, incident.id);
    });
  }
}
