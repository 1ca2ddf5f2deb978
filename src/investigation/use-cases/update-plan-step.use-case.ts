import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ValidationError } from '../../common/domain-error';
import { IncidentStore } from '../../incident/incident-store';
import { requireActiveStaff } from '../../staff/active-staff';
import { assertStepTransition } from '../domain/plan-step-status';
import { PlanStep } from '../entities/plan-step.entity';
import { UpdatePlanStepDto } from '../investigation.dto';
import { InvestigationQueries, PlanStepWithHistory } from '../investigation-queries';
import { lockOpenIncident, recordStepChange, requireStep } from '../investigation-record';

type Changes = Record<string, { from: unknown; to: unknown }>;

/**
 * `PATCH …/plan/steps/{sid}`: edit a step, move its status along (with a note), or note
 * progress. One history row and one timeline entry per call that changes or notes something.
 */
@Injectable()
export class UpdatePlanStep {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly queries: InvestigationQueries,
  ) {}

  execute(
    idOrReference: string,
    stepId: string,
    input: UpdatePlanStepDto,
    actor: Actor,
  ): Promise<PlanStepWithHistory> {
    if (Object.values(input).every((value) => value === undefined)) {
      throw ValidationError.field('body', 'nonEmpty', 'Give at least one field to change, or a note');
    }
    return this.db.transaction(async (em) => {
      const incident = await lockOpenIncident(em, this.store, idOrReference, actor);
      const step = await requireStep(em, incident.id, stepId);
      const fromStatus = step.status;
      if (input.status !== undefined) assertStepTransition(step.status, input.status);
      const changes = await this.applyFields(em, step, input);
      const statusChanged = input.status !== undefined;
      if (!statusChanged && !Object.keys(changes).length && !input.note) {
        return this.queries.loadStep(em, step.id);
      }

      const at = this.clock.now();
      if (statusChanged) step.status = input.status!;
      step.updatedAt = at;
      await em.getRepository(PlanStep).save(step);
      await recordStepChange(em, {
        type: statusChanged
          ? 'plan.step_status_changed'
          : Object.keys(changes).length
            ? 'plan.step_updated'
            : 'plan.step_noted',
        step,
        at,
        actor,
        fromStatus: statusChanged ? fromStatus : null,
        toStatus: statusChanged ? input.status! : null,
        changes,
        note: input.note,
      });
      return this.queries.loadStep(em, step.id);
    });
  }

  /** Sets the fields that differ and says what changed; the owner must be active staff. */
  private async applyFields(em: EntityManager, step: PlanStep, input: UpdatePlanStepDto): Promise<Changes> {
    const changes: Changes = {};
    if (input.title !== undefined && input.title !== step.title) {
      changes.title = { from: step.title, to: input.title };
      step.title = input.title;
    }
    if (input.description !== undefined && input.description !== step.description) {
      changes.description = { from: step.description, to: input.description };
      step.description = input.description;
    }
    if (input.ownerId !== undefined && input.ownerId !== step.ownerId) {
      if (input.ownerId !== null) await requireActiveStaff(em, input.ownerId, 'ownerId');
      changes.ownerId = { from: step.ownerId, to: input.ownerId };
      step.ownerId = input.ownerId;
      step.owner = undefined;
    }
    if (input.eta !== undefined && input.eta?.getTime() !== step.eta?.getTime()) {
      changes.eta = { from: step.eta, to: input.eta };
      step.eta = input.eta;
    }
    return changes;
  }
}
