import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, isAdmin } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError, ValidationError } from '../../common/domain-error';
import { assertTransition } from '../domain/incident-status';
import { Incident } from '../entities/incident.entity';
import { IncidentQueries } from '../incident-queries';
import { IncidentView } from '../incident.view';
import { IncidentStore } from '../incident-store';
import { appendTimeline } from '../timeline';

/**
 * `POST …/close`: the end of the record. Normally after the post-mortem is approved;
 * an admin may close without one, giving a reason (README, "Post-mortem").
 */
@Injectable()
export class CloseIncident {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly queries: IncidentQueries,
  ) {}

  execute(idOrReference: string, reason: string | undefined, actor: Actor): Promise<IncidentView> {
    return this.db.transaction(async (em) => {
      const incident = await this.store.get(em, idOrReference, actor, { lock: true });
      assertTransition(incident.status, 'closed');
      const withoutPostmortem = !incident.postmortemApprovedAt;
      if (withoutPostmortem && !isAdmin(actor)) {
        throw new ConflictError(
          'incident.postmortem_not_approved',
          `${incident.reference} closes once its post-mortem is approved (or an admin closes it with a reason)`,
        );
      }
      if (withoutPostmortem && !reason) {
        throw ValidationError.field(
          'reason',
          'required',
          'reason is required to close without an approved post-mortem',
        );
      }
      const at = this.clock.now();
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'incident.closed',
        at,
        actor,
        data: { reason: reason ?? null, withoutPostmortem },
      });
      Object.assign(incident, { status: 'closed', closedAt: at, closeReason: reason ?? null, updatedAt: at });
      await em.getRepository(Incident).save(incident);
      return this.queries.viewWritten(em, incident.id);
    });
  }
}
