import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';
import { ConflictError, NotFoundError } from '../common/domain-error';
import type { Incident } from '../incident/entities/incident.entity';
import type { IncidentStore } from '../incident/incident-store';
import { appendTimeline } from '../incident/timeline';
import type { PlanStepStatus } from './domain/plan-step-status';
import { PlanStep } from './entities/plan-step.entity';
import { PlanStepEvent } from './entities/plan-step-event.entity';

/**
 * The incident the actor may see, locked for the rest of the transaction so that changes to
 * its investigation serialise; a closed incident refuses them (409 `incident.closed`).
 */
export async function lockOpenIncident(
  em: EntityManager,
  store: IncidentStore,
  idOrReference: string,
  actor: Actor,
): Promise<Incident> {
  const incident = await store.get(em, idOrReference, actor, { lock: true });
  if (incident.status === 'closed')
    throw new ConflictError('incident.closed', `${incident.reference} is closed`);
  return incident;
}

/** A step of this incident's plan, or 404 `plan_step.not_found`. */
export async function requireStep(em: EntityManager, incidentId: string, stepId: string): Promise<PlanStep> {
  const step = await em.getRepository(PlanStep).findOneBy({ id: stepId, incidentId });
  if (!step) throw new NotFoundError('plan_step', stepId);
  return step;
}

export interface StepChange {
  type: string;
  step: PlanStep;
  at: Date;
  actor: Actor;
  fromStatus: PlanStepStatus | null;
  toStatus: PlanStepStatus | null;
  changes?: Record<string, { from: unknown; to: unknown }>;
  note?: string | null;
}

/** One row of the step's history and one timeline entry, in the transaction of the change. */
export async function recordStepChange(em: EntityManager, change: StepChange): Promise<void> {
  const { step, at, actor, fromStatus, toStatus } = change;
  const changes = change.changes ?? {};
  const note = change.note ?? null;
  await em.getRepository(PlanStepEvent).save({
    stepId: step.id,
    incidentId: step.incidentId,
    at,
    actorId: actor.staffMemberId,
    actorName: actor.name,
    fromStatus,
    toStatus,
    changes,
    note,
  });
  await appendTimeline(em, {
    incidentId: step.incidentId,
    type: change.type,
    at,
    actor,
    data: {
      stepId: step.id,
      position: step.position,
      title: step.title,
      ...(toStatus ? { from: fromStatus, to: toStatus } : {}),
      ...(Object.keys(changes).length ? { changes } : {}),
      ...(note ? { note } : {}),
    },
  });
}
