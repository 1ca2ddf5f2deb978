import { DateTime } from 'luxon';
import type { BusinessCalendarConfig } from '../../config/app-config';

/**
 * Adds whole business days in the calendar's time zone, keeping the local time of day:
 * each step moves one calendar day and counts it only if that day is a business day.
 * Declared Friday 15:00 + 3 → Wednesday 15:00; declared Saturday 10:00 + 3 → Wednesday 10:00.
 */
export function addBusinessDays(start: Date, days: number, calendar: BusinessCalendarConfig): Date {
  let at = DateTime.fromJSDate(start, { zone: calendar.timezone });
  let counted = 0;
  while (counted < days) {
    at = at.plus({ days: 1 });
    if (isBusinessDay(at, calendar)) counted += 1;
  }
  return at.toJSDate();
}

function isBusinessDay(day: DateTime, calendar: BusinessCalendarConfig): boolean {
  return calendar.days.includes(day.weekday) && !calendar.holidays.includes(day.toISODate() ?? '');
}

/**
 * Elapsed time between `start` and `end` that falls on business days of the calendar's time
 * zone (whole local days; weekends and holidays count for nothing). Zero when `end` is not
 * after `start`. Friday 15:00 → Monday 15:00 in a Mon–Fri week is 24 hours: Friday 15:00–24:00
 * and Monday 00:00–15:00.
 */
export function businessDurationMs(start: Date, end: Date, calendar: BusinessCalendarConfig): number {
  return businessSpans(start, end, calendar).reduce((total, span) => total + span.ms, 0);
}

/**
 * The same span in business days: each business day contributes the share of it that was
 * covered, so a whole business day counts as one even when a daylight-saving change makes it
 * 23 or 25 hours long. Friday 15:00 → Wednesday 15:00 in a Mon–Fri week is 3.
 */
export function businessDaysBetween(start: Date, end: Date, calendar: BusinessCalendarConfig): number {
  return businessSpans(start, end, calendar).reduce((total, span) => total + span.ms / span.dayMs, 0);
}

/** Per local business day touched by [start, end): the milliseconds covered and the day's length. */
function businessSpans(
  start: Date,
  end: Date,
  calendar: BusinessCalendarConfig,
): { ms: number; dayMs: number }[] {
  const spans: { ms: number; dayMs: number }[] = [];
  const endMs = end.getTime();
  let day = DateTime.fromJSDate(start, { zone: calendar.timezone }).startOf('day');
  while (day.toMillis() < endMs) {
    const next = day.plus({ days: 1 });
    if (isBusinessDay(day, calendar)) {
      const from = Math.max(day.toMillis(), start.getTime());
      const to = Math.min(next.toMillis(), endMs);
      if (to > from) spans.push({ ms: to - from, dayMs: next.toMillis() - day.toMillis() });
    }
    day = next;
  }
  return spans;
}
