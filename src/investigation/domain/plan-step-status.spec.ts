import { DomainError } from '../../common/domain-error';
import {
  allowedStepTransitions,
  assertStepTransition,
  canTransitionStep,
  PLAN_STEP_STATUSES,
  PlanStepStatus,
} from './plan-step-status';

describe('plan step status transitions', () => {
  const allowed: [PlanStepStatus, PlanStepStatus][] = [
    ['todo', 'doing'],
    ['todo', 'abandoned'],
    ['doing', 'done'],
    ['doing', 'todo'],
    ['doing', 'abandoned'],
    ['done', 'doing'],
    ['abandoned', 'todo'],
  ];

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(canTransitionStep(from, to)).toBe(true);
    expect(() => assertStepTransition(from, to)).not.toThrow();
  });

  const refused = PLAN_STEP_STATUSES.flatMap((from) =>
    PLAN_STEP_STATUSES.filter((to) => !allowed.some(([f, t]) => f === from && t === to)).map(
      (to) => [from, to] as [PlanStepStatus, PlanStepStatus],
    ),
  );

  it('refuses every other pair, self-transitions included', () => {
    expect(refused).toHaveLength(16 - allowed.length);
    expect(refused).toEqual(
      expect.arrayContaining([
        ['todo', 'todo'],
        ['todo', 'done'],
        ['done', 'todo'],
        ['done', 'abandoned'],
        ['abandoned', 'doing'],
        ['abandoned', 'done'],
      ]),
    );
  });

  it.each(refused)('refuses %s → %s with a stable code and the allowed targets', (from, to) => {
    expect(canTransitionStep(from, to)).toBe(false);
    let thrown: unknown;
    try {
      assertStepTransition(from, to);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      kind: 'conflict',
      code: 'plan_step.illegal_transition',
      details: { from, to, allowed: allowedStepTransitions(from) },
    });
  });
});
