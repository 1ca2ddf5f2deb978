import { businessToday, daysOverdue, isCalendarDate, isOverdue } from './overdue';

describe('overdue action items', () => {
  it('takes today in the business time zone, not UTC', () => {
    // 23:30 UTC on 2 March is already 3 March in Paris, still 2 March in New York.
    const at = new Date('2026-03-02T23:30:00Z');
    expect(businessToday(at, 'Europe/Paris')).toBe('2026-03-03');
    expect(businessToday(at, 'America/New_York')).toBe('2026-03-02');
    expect(businessToday(at, 'UTC')).toBe('2026-03-02');
  });

  it('is overdue from the day after the due date, while open or in progress', () => {
    expect(isOverdue({ dueOn: '2026-03-02', status: 'open' }, '2026-03-02')).toBe(false);
    expect(isOverdue({ dueOn: '2026-03-02', status: 'open' }, '2026-03-03')).toBe(true);
    expect(isOverdue({ dueOn: '2026-03-02', status: 'in_progress' }, '2026-03-03')).toBe(true);
    expect(isOverdue({ dueOn: '2026-03-02', status: 'done' }, '2026-03-03')).toBe(false);
    expect(isOverdue({ dueOn: '2026-03-02', status: 'cancelled' }, '2026-03-03')).toBe(false);
    expect(isOverdue({ dueOn: '2025-12-31', status: 'open' }, '2026-01-01')).toBe(true);
  });

  it('counts whole days overdue, across a daylight-saving change', () => {
    expect(daysOverdue('2026-03-02', '2026-03-02')).toBe(0);
    expect(daysOverdue('2026-03-02', '2026-03-01')).toBe(0);
    expect(daysOverdue('2026-03-27', '2026-03-31')).toBe(4);
  });

  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-3-1')).toBe(false);
    expect(isCalendarDate('2026-03-01T00:00:00Z')).toBe(false);
  });
});
