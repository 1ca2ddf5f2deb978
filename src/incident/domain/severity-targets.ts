import type { BusinessCalendarConfig } from '../../config/app-config';
import { addBusinessDays } from './business-calendar';

export type Severity = 1 | 2 | 3 | 4;

export interface SeverityTargets {
  responseDueAt: Date;
  resolutionDueAt: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Handbook, table 1: initial response / target resolution per severity. */
const TABLE: Record<Severity, { responseMs: number; resolution: { ms: number } | { businessDays: number } }> =
  {
    1: { responseMs: 30 * MINUTE, resolution: { ms: 2 * HOUR } },
    2: { responseMs: 1 * HOUR, resolution: { ms: 3 * HOUR } },
    3: { responseMs: 2 * HOUR, resolution: { ms: 12 * HOUR } },
    4: { responseMs: 24 * HOUR, resolution: { businessDays: 3 } },
  };

/** The response and resolution deadlines of an incident declared at `declaredAt`. */
export function severityTargets(
  declaredAt: Date,
  severity: Severity,
  calendar: BusinessCalendarConfig,
): SeverityTargets {
  const row = TABLE[severity];
  const resolutionDueAt =
    'ms' in row.resolution
      ? new Date(declaredAt.getTime() + row.resolution.ms)
      : addBusinessDays(declaredAt, row.resolution.businessDays, calendar);
  return { responseDueAt: new Date(declaredAt.getTime() + row.responseMs), resolutionDueAt };
}
