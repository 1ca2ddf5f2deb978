import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ValidationError } from '../../common/domain-error';
import { IncidentStore } from '../../incident/incident-store';
import { PlanStep } from '../entities/plan-step.entity';
import { InvestigationQueries, PlanStepWithHistory } from '../investigation-queries';
import { lockOpenIncident, recordStepChange, requireStep } from '../investigation-record';

/** `POST …/plan/steps/{sid}/move`: reorder the plan; the steps in between shift by one. */
@Injectable()
export class MovePlanStep {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly queries: InvestigationQueries,
  ) {}

  execute(idOrReference: string, stepId: string, to: number, actor: Actor): Promise<PlanStepWithHistory[]> {
    return this.db.transaction(async (em) => {
      const incident = await lockOpenIncident(em, this.store, idOrReference, actor);
      const step = await requireStep(em, incident.id, stepId);
      const count = await em.getRepository(PlanStep).countBy({ incidentId: incident.id });
      if (to > count) {
        throw ValidationError.field(
          'position',
          'max',
          `position must be at most ${count} (the plan has ${count} steps)`,
        );
      }
      const from = step.position;
      if (to !== from) {
        // The position constraint is deferred: the shift and the move meet it at commit.
        await em.query(
          from > to
            ? 'UPDATE plan_steps SET position = position + 1 WHERE incident_id = $1 AND position >= $2 AND position < $3'
            : 'UPDATE plan_steps SET position = position - 1 WHERE incident_id = $1 AND position > $3 AND position <= $2',
          [incident.id, to, from],
        );
        const at = this.clock.now();
        step.position = to;
        step.updatedAt = at;
        await em.getRepository(PlanStep).save(step);
        await recordStepChange(em, {
          type: 'plan.step_moved',
          step,
          at,
          actor,
          fromStatus: null,
          toStatus: null,
          changes: { position: { from, to } },
        });
      }
      return this.queries.loadPlan(em, incident.id);
    });
  }
}
