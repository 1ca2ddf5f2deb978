export type AutomaticReason = 'response_target_missed' | 'resolution_at_risk' | 'resolution_breached';
export type EscalationReason = AutomaticReason | 'manual' | 'customer';

export interface EscalationSubject {
  declaredAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseAt: Date | null;
  /** Null while the incident is open. */
  resolvedAt: Date | null;
  /** Levels reached so far (0 = none). */
  level: number;
  /** Automatic reasons that have already caused an escalation. */
  fired: AutomaticReason[];
  lastEscalatedAt: Date | null;
}

export interface EscalationPolicy {
  /** Share of the resolution target after which resolution is "at risk" (0.75 = 75 %). */
  atRiskShare: number;
  /** Time between two climbs while a condition persists. */
  intervalMs: number;
  /** Levels in the chain. */
  maxLevel: number;
}

export interface DueEscalation {
  at: Date;
  reason: AutomaticReason;
}

/**
 * When the next automatic escalation is due, and why (handbook annex A): the response target
 * passed without a first response, the resolution target at risk, or breached. A condition
 * escalates one level when it starts; while conditions persist, the chain is climbed one level
 * per interval. One level at a time, never skipping: a tick that comes late escalates once.
 */
export function nextEscalation(subject: EscalationSubject, policy: EscalationPolicy): DueEscalation | null {
  if (subject.resolvedAt || subject.level >= policy.maxLevel) return null;
  const span = subject.resolutionDueAt.getTime() - subject.declaredAt.getTime();
  // [reason, when it starts, whether it still holds]
  const conditions: [AutomaticReason, number, boolean][] = [
    ['resolution_breached', subject.resolutionDueAt.getTime(), true],
    ['resolution_at_risk', subject.declaredAt.getTime() + policy.atRiskShare * span, true],
  ];
  const first = subject.firstResponseAt;
  if (first === null || first > subject.responseDueAt) {
    // Missed even if the response came late (a late tick still escalates); holds until it comes.
    conditions.push(['response_target_missed', subject.responseDueAt.getTime(), first === null]);
  }
  const candidates: { at: number; reason: AutomaticReason }[] = [];
  // A condition that has not escalated yet is due when it starts.
  for (const [reason, at] of conditions) {
    if (!subject.fired.includes(reason)) candidates.push({ at, reason });
  }
  // A condition that already escalated and still holds climbs again one interval later.
  const holding = conditions.filter(([reason, , holds]) => holds && subject.fired.includes(reason));
  if (subject.lastEscalatedAt && holding.length > 0) {
    const worst = holding.sort((a, b) => severity(b[0]) - severity(a[0]))[0][0];
    candidates.push({ at: subject.lastEscalatedAt.getTime() + policy.intervalMs, reason: worst });
  }
  if (candidates.length === 0) return null;
  const next = candidates.sort((a, b) => a.at - b.at || severity(b.reason) - severity(a.reason))[0];
  return { at: new Date(next.at), reason: next.reason };
}

function severity(reason: AutomaticReason): number {
  return { response_target_missed: 1, resolution_at_risk: 2, resolution_breached: 3 }[reason];
}
