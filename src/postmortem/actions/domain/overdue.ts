import { DateTime } from 'luxon';
import type { ActionItemStatus } from '../../entities/action-item.entity';

/** Statuses of an item still to be done: only these can be overdue. */
export const PENDING_ACTION_STATUSES: readonly ActionItemStatus[] = ['open', 'in_progress'];

/** The calendar date (`YYYY-MM-DD`) it is at `now` in the business time zone. */
export function businessToday(now: Date, timezone: string): string {
  return DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;
}

/**
 * Overdue: still to be done and due before today (business time zone). An item due today is
 * not overdue until the day is over there.
 */
export function isOverdue(item: { dueOn: string; status: ActionItemStatus }, today: string): boolean {
  return PENDING_ACTION_STATUSES.includes(item.status) && item.dueOn < today;
}

/** Whole days between the due date and today (0 when not past). */
export function daysOverdue(dueOn: string, today: string): number {
  const days = DateTime.fromISO(today, { zone: 'UTC' }).diff(
    DateTime.fromISO(dueOn, { zone: 'UTC' }),
    'days',
  ).days;
  return Math.max(0, Math.round(days));
}

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}
