import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ValidationError } from '../../common/domain-error';
import { IncidentStore } from '../../incident/incident-store';
import { requireActiveStaff } from '../../staff/active-staff';
import { PlanStep } from '../entities/plan-step.entity';
import { CreatePlanStepDto } from '../investigation.dto';
import { InvestigationQueries, PlanStepWithHistory } from '../investigation-queries';
import { lockOpenIncident, recordStepChange } from '../investigation-record';

/** `POST …/plan/steps`: a step of the resolution plan, last or at a given position, to do. */
@Injectable()
export class AddPlanStep {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly queries: InvestigationQueries,
  ) {}

  execute(idOrReference: string, input: CreatePlanStepDto, actor: Actor): Promise<PlanStepWithHistory> {
    return this.db.transaction(async (em) => {
      const incident = await lockOpenIncident(em, this.store, idOrReference, actor);
      if (input.ownerId !== undefined) await requireActiveStaff(em, input.ownerId, 'ownerId');
      const count = await em.getRepository(PlanStep).countBy({ incidentId: incident.id });
      const position = input.position ?? count + 1;
      if (position > count + 1) {
        throw ValidationError.field(
          'position',
          'max',
          `position must be at most ${count + 1} (the plan has ${count} steps)`,
        );
      }
      // The position constraint is deferred: the shift and the insert meet it at commit.
      await em.query(
        'UPDATE plan_steps SET position = position + 1 WHERE incident_id = $1 AND position >= $2',
        [incident.id, position],
      );
      const at = this.clock.now();
      const step = await em.getRepository(PlanStep).save({
        incidentId: incident.id,
        position,
        title: input.title,
        description: input.description ?? null,
        ownerId: input.ownerId ?? null,
        status: 'todo',
        eta: input.eta ?? null,
        createdAt: at,
        updatedAt: at,
      });
      await recordStepChange(em, {
        type: 'plan.step_added',
        step,
        at,
        actor,
        fromStatus: null,
        toStatus: 'todo',
        changes: {
          ...(step.ownerId ? { ownerId: { from: null, to: step.ownerId } } : {}),
          ...(step.eta ? { eta: { from: null, to: step.eta } } : {}),
        },
      });
      return this.queries.loadStep(em, step.id);
    });
  }
}
