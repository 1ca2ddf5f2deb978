import type { BusinessCalendarConfig } from '../../config/app-config';
import { businessDaysBetween, businessDurationMs } from '../../incident/domain/business-calendar';
import type { Severity, TargetTable } from '../../incident/domain/severity-targets';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4];

/** One incident or support request, as the report needs it. */
export interface TargetRecord {
  severity: Severity;
  /** `declared_at` of an incident, `created_at` of a support request. */
  openedAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseAt: Date | null;
  /** Resolution of an incident, closing of a support request; null while open. */
  resolvedAt: Date | null;
}

export interface TargetReportInput {
  /** Records opened in [from, to) are counted; others are ignored. */
  from: Date;
  to: Date;
  /** The reading time: responses and resolutions are those known by now. */
  now: Date;
  calendar: BusinessCalendarConfig;
  table: TargetTable;
}

/** The severity's targets: a resolution in plain time, or in business days (handbook S4). */
export type TargetView =
  | { responseMinutes: number; resolutionMinutes: number }
  | { responseMinutes: number; resolutionBusinessDays: number };

export interface MinutesStats {
  medianMinutes: number | null;
  p90Minutes: number | null;
}

/** Durations counted in business time only (weekends and holidays of the business calendar left out). */
export interface BusinessTimeStats {
  businessTime: true;
  medianHours: number | null;
  p90Hours: number | null;
  medianBusinessDays: number | null;
  p90BusinessDays: number | null;
}

export interface SeverityTargetStats {
  severity: Severity;
  target: TargetView;
  /** Records opened in the period. */
  count: number;
  /** With a first response. */
  responded: number;
  /** First response at or before `responseDueAt`. */
  respondedWithinTarget: number;
  timeToFirstResponse: MinutesStats;
  resolved: number;
  /** Resolved at or before `resolutionDueAt`. */
  resolvedWithinTarget: number;
  timeToResolution: MinutesStats | BusinessTimeStats;
  /** Unresolved at the end of the period (or now, if earlier) and past `resolutionDueAt` then. */
  stillOpenPastTarget: number;
}

/**
 * Percentile by linear interpolation between closest ranks (the "inclusive" method of
 * spreadsheets, R type 7): the median of [10, 20] is 15, the 90th percentile of 1…10 is 9.1.
 * Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** Figures are rounded to two decimals (0.01 minute, hour or business day). */
function round(value: number | null, unitMs = 1): number | null {
  return value === null ? null : Math.round((value / unitMs) * 100) / 100;
}

function targetView(row: TargetTable[Severity]): TargetView {
  const responseMinutes = row.responseMs / MINUTE;
  return 'ms' in row.resolution
    ? { responseMinutes, resolutionMinutes: row.resolution.ms / MINUTE }
    : { responseMinutes, resolutionBusinessDays: row.resolution.businessDays };
}

/**
 * Time to first response and to resolution per severity against the targets (issue 4, item 4).
 * "Within target" compares with the stored due dates, which already encode business days for a
 * business-day target. Durations to resolution of a severity whose resolution target is in
 * business days (S4 in the handbook) count business time only, in hours and business days;
 * other durations are plain time in minutes. Every severity 1–4 is present, with zeros and
 * nulls when nothing was opened.
 */
export function targetReport(
  records: readonly TargetRecord[],
  input: TargetReportInput,
): SeverityTargetStats[] {
  const asOf = input.to < input.now ? input.to : input.now;
  const inPeriod = records.filter((r) => r.openedAt >= input.from && r.openedAt < input.to);
  return SEVERITIES.map((severity) => {
    const row = input.table[severity];
    const own = inPeriod.filter((r) => r.severity === severity);
    const responded = own.filter((r) => r.firstResponseAt !== null && r.firstResponseAt <= input.now);
    const resolved = own.filter((r) => r.resolvedAt !== null && r.resolvedAt <= input.now);
    const responseMs = responded.map((r) => Math.max(0, r.firstResponseAt!.getTime() - r.openedAt.getTime()));
    const businessTime = 'businessDays' in row.resolution;
    return {
      severity,
      target: targetView(row),
      count: own.length,
      responded: responded.length,
      respondedWithinTarget: responded.filter((r) => r.firstResponseAt! <= r.responseDueAt).length,
      timeToFirstResponse: {
        medianMinutes: round(percentile(responseMs, 50), MINUTE),
        p90Minutes: round(percentile(responseMs, 90), MINUTE),
      },
      resolved: resolved.length,
      resolvedWithinTarget: resolved.filter((r) => r.resolvedAt! <= r.resolutionDueAt).length,
      timeToResolution: businessTime
        ? businessStats(resolved, input.calendar)
        : minutesStats(resolved.map((r) => Math.max(0, r.resolvedAt!.getTime() - r.openedAt.getTime()))),
      stillOpenPastTarget: own.filter(
        (r) => (r.resolvedAt === null || r.resolvedAt > asOf) && r.resolutionDueAt < asOf,
      ).length,
    };
  });
}

function minutesStats(durationsMs: number[]): MinutesStats {
  return {
    medianMinutes: round(percentile(durationsMs, 50), MINUTE),
    p90Minutes: round(percentile(durationsMs, 90), MINUTE),
  };
}

function businessStats(resolved: TargetRecord[], calendar: BusinessCalendarConfig): BusinessTimeStats {
  const ms = resolved.map((r) => businessDurationMs(r.openedAt, r.resolvedAt!, calendar));
  const days = resolved.map((r) => businessDaysBetween(r.openedAt, r.resolvedAt!, calendar));
  return {
    businessTime: true,
    medianHours: round(percentile(ms, 50), HOUR),
    p90Hours: round(percentile(ms, 90), HOUR),
    medianBusinessDays: round(percentile(days, 50)),
    p90BusinessDays: round(percentile(days, 90)),
  };
}
