import { EscalationPolicy, EscalationSubject, nextEscalation } from './escalation-policy';

const MIN = 60_000;
const t0 = new Date('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);
const policy: EscalationPolicy = { atRiskShare: 0.75, intervalMs: 30 * MIN, maxLevel: 5 };

/** A severity-1 incident: response due at +30 min, resolution at +120 min. */
function s1(overrides: Partial<EscalationSubject> = {}): EscalationSubject {
  return {
    declaredAt: t0,
    responseDueAt: at(30),
    resolutionDueAt: at(120),
    firstResponseAt: null,
    resolvedAt: null,
    level: 0,
    fired: [],
    lastEscalatedAt: null,
    ...overrides,
  };
}

describe('escalation policy', () => {
  it('escalates when the response target passes without a first response', () => {
    expect(nextEscalation(s1(), policy)).toEqual({ at: at(30), reason: 'response_target_missed' });
  });

  it('does not escalate for the response when it came in time; waits for resolution at risk (75 %)', () => {
    expect(nextEscalation(s1({ firstResponseAt: at(10) }), policy)).toEqual({
      at: at(90),
      reason: 'resolution_at_risk',
    });
  });

  it('still escalates, late, when the first response came after the target but before the tick', () => {
    expect(nextEscalation(s1({ firstResponseAt: at(45) }), policy)).toEqual({
      at: at(30),
      reason: 'response_target_missed',
    });
  });

  it('climbs one level per interval while the response is still missing', () => {
    const after = s1({ level: 1, fired: ['response_target_missed'], lastEscalatedAt: at(30) });
    expect(nextEscalation(after, policy)).toEqual({ at: at(60), reason: 'response_target_missed' });
  });

  it('a condition starting before the next interval escalates at its start', () => {
    const after = s1({
      level: 2,
      fired: ['response_target_missed'],
      lastEscalatedAt: at(80),
      firstResponseAt: null,
    });
    expect(nextEscalation(after, policy)).toEqual({ at: at(90), reason: 'resolution_at_risk' });
  });

  it('after the breach, keeps climbing every interval as "breached" until the top of the chain', () => {
    const after = s1({
      level: 4,
      fired: ['response_target_missed', 'resolution_at_risk', 'resolution_breached'],
      lastEscalatedAt: at(120),
      firstResponseAt: at(35),
    });
    expect(nextEscalation(after, policy)).toEqual({ at: at(150), reason: 'resolution_breached' });
    expect(nextEscalation({ ...after, level: 5 }, policy)).toBeNull();
  });

  it('stops once the incident is resolved', () => {
    expect(nextEscalation(s1({ resolvedAt: at(20) }), policy)).toBeNull();
  });

  it('never skips a level: a tick missed for hours still yields one due escalation at a time', () => {
    const due = nextEscalation(s1(), policy);
    expect(due?.at.getTime()).toBeLessThan(at(600).getTime());
    expect(due?.reason).toBe('response_target_missed');
  });
});
