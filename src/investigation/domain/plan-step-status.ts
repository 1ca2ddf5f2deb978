import { ConflictError } from '../../common/domain-error';

export const PLAN_STEP_STATUSES = ['todo', 'doing', 'done', 'abandoned'] as const;
export type PlanStepStatus = (typeof PLAN_STEP_STATUSES)[number];

/**
 * How a resolution-plan step moves. Work starts or is dropped; work in progress finishes,
 * pauses or is dropped; a finished step can be reopened when the fix did not hold; a dropped
 * step can be picked up again. A status never "changes" to itself.
 */
const NEXT: Record<PlanStepStatus, readonly PlanStepStatus[]> = {
  todo: ['doing', 'abandoned'],
  doing: ['done', 'todo', 'abandoned'],
  done: ['doing'],
  abandoned: ['todo'],
};

export function allowedStepTransitions(from: PlanStepStatus): readonly PlanStepStatus[] {
  return NEXT[from];
}

export function canTransitionStep(from: PlanStepStatus, to: PlanStepStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws the stable 409 `plan_step.illegal_transition` unless `from → to` is allowed. */
export function assertStepTransition(from: PlanStepStatus, to: PlanStepStatus): void {
  if (!canTransitionStep(from, to)) {
    throw new ConflictError('plan_step.illegal_transition', `A plan step cannot go from ${from} to ${to}`, {
      from,
      to,
      allowed: NEXT[from],
    });
  }
}
