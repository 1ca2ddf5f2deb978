import type { BusinessCalendarConfig } from '../../config/app-config';
import { addBusinessDays } from './business-calendar';

export type Severity = 1 | 2 | 3 | 4;

export interface SeverityTargets {
  responseDueAt: Date;
  resolutionDueAt: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Per severity: the initial response time, and the resolution time (plain time or business days). */
export type TargetTable = Record<
  Severity,
  { responseMs: number; resolution: { ms: number } | { businessDays: number } }
>;

/** Handbook, table 1: initial response / target resolution per severity. */
export const HANDBOOK_TARGETS: TargetTable = {
  1: { responseMs: 30 * MINUTE, resolution: { ms: 2 * HOUR } },
  2: { responseMs: 1 * HOUR, resolution: { ms: 3 * HOUR } },
  3: { responseMs: 2 * HOUR, resolution: { ms: 12 * HOUR } },
  4: { responseMs: 24 * HOUR, resolution: { businessDays: 3 } },
};

/** The response and resolution deadlines of an incident (or request) opened at `declaredAt`. */
export function severityTargets(
  declaredAt: Date,
  severity: Severity,
  calendar: BusinessCalendarConfig,
  table: TargetTable = HANDBOOK_TARGETS,
): SeverityTargets {
  const row = table[severity];
  const resolutionDueAt =
    'ms' in row.resolution
      ? new Date(declaredAt.getTime() + row.resolution.ms)
      : addBusinessDays(declaredAt, row.resolution.businessDays, calendar);
  return { responseDueAt: new Date(declaredAt.getTime() + row.responseMs), resolutionDueAt };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: 24 * HOUR };

/**
 * "S1=30m/2h,S2=1h/3h,S3=2h/12h,S4=24h/3bd" → a target table (units s, m, h, d, and bd for
 * business days in the resolution). Every severity must be given. Undefined when malformed.
 */
export function parseTargetTable(value: string): TargetTable | undefined {
  const table: Partial<TargetTable> = {};
  for (const part of value.split(',').map((p) => p.trim())) {
    const match = /^S([1-4])\s*=\s*(\d+(?:\.\d+)?)(s|m|h|d)\s*\/\s*(\d+(?:\.\d+)?)(s|m|h|d|bd)$/i.exec(part);
    if (!match) return undefined;
    const [, severity, response, responseUnit, resolution, resolutionUnit] = match;
    const unit = resolutionUnit.toLowerCase();
    if (unit === 'bd' && !Number.isInteger(Number(resolution))) return undefined;
    table[Number(severity) as Severity] = {
      responseMs: Number(response) * UNIT_MS[responseUnit.toLowerCase()],
      resolution:
        unit === 'bd' ? { businessDays: Number(resolution) } : { ms: Number(resolution) * UNIT_MS[unit] },
    };
  }
  return [1, 2, 3, 4].every((s) => s in table) ? (table as TargetTable) : undefined;
}
