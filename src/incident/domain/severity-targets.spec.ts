import type { BusinessCalendarConfig } from '../../config/app-config';
import { addBusinessDays } from './business-calendar';
import { HANDBOOK_TARGETS, parseTargetTable, severityTargets } from './severity-targets';

const paris: BusinessCalendarConfig = { timezone: 'Europe/Paris', days: [1, 2, 3, 4, 5], holidays: [] };

describe('severity targets (handbook table 1)', () => {
  const declaredAt = new Date('2026-03-04T10:00:00Z'); // a Wednesday

  it.each([
    [1, '2026-03-04T10:30:00.000Z', '2026-03-04T12:00:00.000Z'],
    [2, '2026-03-04T11:00:00.000Z', '2026-03-04T13:00:00.000Z'],
    [3, '2026-03-04T12:00:00.000Z', '2026-03-04T22:00:00.000Z'],
    [4, '2026-03-05T10:00:00.000Z', '2026-03-09T10:00:00.000Z'],
  ] as const)('severity %i: response %s, resolution %s', (severity, response, resolution) => {
    const targets = severityTargets(declaredAt, severity, paris);
    expect(targets.responseDueAt.toISOString()).toBe(response);
    expect(targets.resolutionDueAt.toISOString()).toBe(resolution);
  });
});

describe('business days', () => {
  it('skips the weekend: Friday 15:00 + 3 business days is Wednesday 15:00 local', () => {
    const friday = new Date('2026-03-06T14:00:00Z'); // 15:00 in Paris
    expect(addBusinessDays(friday, 3, paris).toISOString()).toBe('2026-03-11T14:00:00.000Z');
  });

  it('counts from a weekend declaration as from the weekend: Saturday + 3 is Wednesday', () => {
    const saturday = new Date('2026-03-07T09:00:00Z');
    expect(addBusinessDays(saturday, 3, paris).toISOString()).toBe('2026-03-11T09:00:00.000Z');
  });

  it('keeps the local time of day across a daylight-saving change', () => {
    // Paris moves to summer time on Sunday 2026-03-29: 10:00 local is 09:00Z before, 08:00Z after.
    const friday = new Date('2026-03-27T09:00:00Z');
    expect(addBusinessDays(friday, 1, paris).toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('skips configured holidays', () => {
    const calendar = { ...paris, holidays: ['2026-03-09'] };
    const friday = new Date('2026-03-06T14:00:00Z');
    expect(addBusinessDays(friday, 1, calendar).toISOString()).toBe('2026-03-10T14:00:00.000Z');
  });

  it('follows another working week (Sunday to Thursday)', () => {
    const calendar: BusinessCalendarConfig = { timezone: 'Asia/Dubai', days: [7, 1, 2, 3, 4], holidays: [] };
    const thursday = new Date('2026-03-05T06:00:00Z');
    // Fri and Sat are off: Sun, Mon, Tue → Tuesday.
    expect(addBusinessDays(thursday, 3, calendar).toISOString()).toBe('2026-03-10T06:00:00.000Z');
  });
});

describe('configured target tables (SEVERITY_TARGETS)', () => {
  it('reads the handbook table written out, identical to the default', () => {
    expect(parseTargetTable('S1=30m/2h,S2=1h/3h,S3=2h/12h,S4=24h/3bd')).toEqual(HANDBOOK_TARGETS);
  });

  it('takes short demo targets in seconds and minutes', () => {
    const table = parseTargetTable('S1=20s/1.5m, S2=1m/3m, S3=2m/5m, S4=1h/1bd')!;
    const targets = severityTargets(new Date('2026-03-04T10:00:00Z'), 1, paris, table);
    expect(targets.responseDueAt.toISOString()).toBe('2026-03-04T10:00:20.000Z');
    expect(targets.resolutionDueAt.toISOString()).toBe('2026-03-04T10:01:30.000Z');
  });

  it.each([
    'S1=30m/2h',
    'S1=30m/2h,S2=1h/3h,S3=2h/12h,S4=24h/2.5bd',
    'S1=30/2h,S2=1h/3h,S3=2h/12h,S4=24h/3bd',
    'nonsense',
  ])('refuses %s', (value) => {
    expect(parseTargetTable(value)).toBeUndefined();
  });
});
