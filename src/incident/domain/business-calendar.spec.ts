import type { BusinessCalendarConfig } from '../../config/app-config';
import { addBusinessDays, businessDaysBetween, businessDurationMs } from './business-calendar';

const HOUR = 3_600_000;
const paris: BusinessCalendarConfig = { timezone: 'Europe/Paris', days: [1, 2, 3, 4, 5], holidays: [] };

describe('business duration', () => {
  it('counts Friday 15:00 → Monday 15:00 as 24 hours, one business day', () => {
    const friday = new Date('2026-03-06T14:00:00Z'); // 15:00 in Paris
    const monday = new Date('2026-03-09T14:00:00Z');
    expect(businessDurationMs(friday, monday, paris)).toBe(24 * HOUR);
    expect(businessDaysBetween(friday, monday, paris)).toBe(1);
  });

  it('counts plain time within one business day', () => {
    const start = new Date('2026-03-04T08:00:00Z'); // Wednesday
    expect(businessDurationMs(start, new Date('2026-03-04T11:30:00Z'), paris)).toBe(3.5 * HOUR);
    expect(businessDaysBetween(start, new Date('2026-03-04T20:00:00Z'), paris)).toBe(0.5);
  });

  it('counts nothing over a weekend alone, and nothing when the end is not after the start', () => {
    const saturday = new Date('2026-03-07T09:00:00Z');
    const sunday = new Date('2026-03-08T18:00:00Z');
    expect(businessDurationMs(saturday, sunday, paris)).toBe(0);
    expect(businessDurationMs(sunday, saturday, paris)).toBe(0);
    expect(businessDurationMs(saturday, saturday, paris)).toBe(0);
  });

  it('starts counting at local midnight on Monday for a weekend start', () => {
    const saturday = new Date('2026-03-07T09:00:00Z');
    const mondayNoon = new Date('2026-03-09T11:00:00Z'); // 12:00 in Paris, 12 hours after local midnight
    expect(businessDurationMs(saturday, mondayNoon, paris)).toBe(12 * HOUR);
  });

  it('skips configured holidays', () => {
    const calendar = { ...paris, holidays: ['2026-03-09'] }; // that Monday is off
    const friday = new Date('2026-03-06T14:00:00Z');
    const tuesday = new Date('2026-03-10T14:00:00Z');
    expect(businessDurationMs(friday, tuesday, calendar)).toBe(24 * HOUR);
    expect(businessDaysBetween(friday, tuesday, calendar)).toBe(1);
    expect(businessDurationMs(friday, tuesday, paris)).toBe(48 * HOUR);
  });

  it('follows another working week (Sunday to Thursday)', () => {
    const calendar: BusinessCalendarConfig = { timezone: 'Asia/Dubai', days: [7, 1, 2, 3, 4], holidays: [] };
    const thursday = new Date('2026-03-05T06:00:00Z'); // 10:00 in Dubai
    const sunday = new Date('2026-03-08T06:00:00Z');
    expect(businessDurationMs(thursday, sunday, calendar)).toBe(24 * HOUR);
  });

  it('agrees with addBusinessDays: Friday + 3 business days is 3 business days, 72 hours', () => {
    const friday = new Date('2026-03-06T14:00:00Z');
    const due = addBusinessDays(friday, 3, paris);
    expect(businessDurationMs(friday, due, paris)).toBe(72 * HOUR);
    expect(businessDaysBetween(friday, due, paris)).toBe(3);
  });

  it('counts a short daylight-saving business day as one business day of 23 hours', () => {
    // Sunday 2026-03-29 is a 23-hour day in Paris, and a working day in this calendar.
    const calendar: BusinessCalendarConfig = { ...paris, days: [7, 1, 2, 3, 4] };
    const sundayMidnight = new Date('2026-03-28T23:00:00Z'); // 00:00 local, winter time
    const mondayMidnight = new Date('2026-03-29T22:00:00Z'); // 00:00 local, summer time
    expect(businessDurationMs(sundayMidnight, mondayMidnight, calendar)).toBe(23 * HOUR);
    expect(businessDaysBetween(sundayMidnight, mondayMidnight, calendar)).toBe(1);
    const saturday = new Date('2026-03-28T09:00:00Z'); // 10:00 local
    const due = addBusinessDays(saturday, 1, calendar); // Sunday 10:00 local
    expect(due.toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(businessDurationMs(saturday, due, calendar)).toBe(9 * HOUR); // 00:00 → 10:00, 02:00–03:00 skipped
  });
});
