/** A scheduled act (guard, holding update, escalation) done more than this after its due time is "late". */
const LATE_AFTER_MS = 60_000;

export function isLate(due: Date, at: Date): boolean {
  return at.getTime() - due.getTime() > LATE_AFTER_MS;
}
