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
