import type { BusinessCalendarConfig } from '../../config/app-config';
import { HANDBOOK_TARGETS, Severity, severityTargets } from '../../incident/domain/severity-targets';
import { percentile, TargetRecord, targetReport, TargetReportInput } from './target-report';

const MIN = 60_000;
const paris: BusinessCalendarConfig = { timezone: 'Europe/Paris', days: [1, 2, 3, 4, 5], holidays: [] };
const t0 = new Date('2026-03-04T09:00:00Z'); // a Wednesday
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * MIN);

/** A record opened at `openedAt` with its handbook targets; responded/resolved after so many minutes. */
function record(
  severity: Severity,
  openedAt: Date,
  respondedAfter: number | null,
  resolvedAfter: number | null,
  calendar = paris,
): TargetRecord {
  return {
    severity,
    openedAt,
    ...severityTargets(openedAt, severity, calendar),
    firstResponseAt: respondedAfter === null ? null : at(openedAt, respondedAfter),
    resolvedAt: resolvedAfter === null ? null : at(openedAt, resolvedAfter),
  };
}

const input = (overrides: Partial<TargetReportInput> = {}): TargetReportInput => ({
  from: new Date('2026-03-01T00:00:00Z'),
  to: new Date('2026-04-01T00:00:00Z'),
  now: new Date('2026-04-10T00:00:00Z'),
  calendar: paris,
  table: HANDBOOK_TARGETS,
  ...overrides,
});

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([10, 20], 50)).toBe(15);
    expect(percentile([30, 10, 20], 50)).toBe(20);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 10);
    expect(percentile([10, 20, 30, 40], 90)).toBeCloseTo(37, 10);
  });

  it('is the value itself for one value, and null for none', () => {
    expect(percentile([42], 50)).toBe(42);
    expect(percentile([42], 90)).toBe(42);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('target report', () => {
  it('gives every severity with its target, zeros and nulls when nothing was opened', () => {
    const report = targetReport([], input());
    expect(report.map((s) => [s.severity, s.target])).toEqual([
      [1, { responseMinutes: 30, resolutionMinutes: 120 }],
      [2, { responseMinutes: 60, resolutionMinutes: 180 }],
      [3, { responseMinutes: 120, resolutionMinutes: 720 }],
      [4, { responseMinutes: 1440, resolutionBusinessDays: 3 }],
    ]);
    expect(report[0]).toMatchObject({
      count: 0,
      responded: 0,
      respondedWithinTarget: 0,
      timeToFirstResponse: { medianMinutes: null, p90Minutes: null },
      resolved: 0,
      resolvedWithinTarget: 0,
      timeToResolution: { medianMinutes: null, p90Minutes: null },
      stillOpenPastTarget: 0,
    });
    expect(report[3].timeToResolution).toEqual({
      businessTime: true,
      medianHours: null,
      p90Hours: null,
      medianBusinessDays: null,
      p90BusinessDays: null,
    });
  });

  it('counts responses and resolutions within and outside the target, with median and p90 in minutes', () => {
    const report = targetReport(
      [
        record(1, t0, 10, 60), // both in time
        record(1, at(t0, 1), 30, 120), // exactly on both targets: within
        record(1, at(t0, 2), 31, 121), // both a minute late
        record(1, at(t0, 3), 50, null), // late response, still open past its target
      ],
      input(),
    );
    expect(report[0]).toEqual({
      severity: 1,
      target: { responseMinutes: 30, resolutionMinutes: 120 },
      count: 4,
      responded: 4,
      respondedWithinTarget: 2,
      // 10, 30, 31, 50: median 30.5; p90 at rank 2.7 → 31 + 0.7 × 19 = 44.3
      timeToFirstResponse: { medianMinutes: 30.5, p90Minutes: 44.3 },
      resolved: 3,
      resolvedWithinTarget: 2,
      // 60, 120, 121: median 120; p90 at rank 1.8 → 120.8
      timeToResolution: { medianMinutes: 120, p90Minutes: 120.8 },
      stillOpenPastTarget: 1,
    });
    expect(report.slice(1).map((s) => s.count)).toEqual([0, 0, 0]);
  });

  it('counts only records opened in [from, to)', () => {
    const report = targetReport(
      [
        record(2, new Date('2026-02-28T23:59:59Z'), 10, 20),
        record(2, new Date('2026-03-01T00:00:00Z'), 10, 20),
        record(2, new Date('2026-03-31T23:59:59Z'), 10, 20),
        record(2, new Date('2026-04-01T00:00:00Z'), 10, 20),
      ],
      input(),
    );
    expect(report[1].count).toBe(2);
  });

  it('counts open past target at the end of the period, or now when that is earlier', () => {
    const late = record(3, new Date('2026-03-31T10:00:00Z'), 10, 24 * 60); // due 22:00, resolved next day 10:00
    const open = record(3, new Date('2026-03-31T20:00:00Z'), null, null); // due 2026-04-01T08:00Z
    const asOfEnd = targetReport([late, open], input())[2];
    // At the end of the period (midnight) the first was past its target and unresolved; the
    // second was not yet due. Its resolution, known now, is counted as a late one.
    expect(asOfEnd).toMatchObject({ count: 2, resolved: 1, resolvedWithinTarget: 0, stillOpenPastTarget: 1 });

    // Read on 1 April at 09:00, period not over: both past due, the first not yet resolved.
    const early = input({ to: new Date('2026-04-05T00:00:00Z'), now: new Date('2026-04-01T09:00:00Z') });
    expect(targetReport([late, open], early)[2]).toMatchObject({ stillOpenPastTarget: 2, resolved: 0 });
    // Read at 11:00: the first was resolved at 10:00.
    const later = input({ to: new Date('2026-04-05T00:00:00Z'), now: new Date('2026-04-01T11:00:00Z') });
    expect(targetReport([late, open], later)[2]).toMatchObject({ stillOpenPastTarget: 1, resolved: 1 });
    const beforeDue = input({ to: new Date('2026-04-05T00:00:00Z'), now: new Date('2026-03-31T21:00:00Z') });
    // Read at 21:00: nothing is past due yet, nothing resolved yet.
    expect(targetReport([late, open], beforeDue)[2]).toMatchObject({ stillOpenPastTarget: 0, resolved: 0 });
  });

  it('counts severity-4 resolutions in business time: Friday 15:00 → Monday 15:00 is one business day', () => {
    const friday = new Date('2026-03-06T14:00:00Z'); // 15:00 in Paris; due Wednesday 15:00
    const report = targetReport([record(4, friday, 60, 3 * 24 * 60)], input());
    expect(report[3]).toMatchObject({
      count: 1,
      respondedWithinTarget: 1,
      timeToFirstResponse: { medianMinutes: 60, p90Minutes: 60 },
      resolved: 1,
      resolvedWithinTarget: 1,
      timeToResolution: {
        businessTime: true,
        medianHours: 24,
        p90Hours: 24,
        medianBusinessDays: 1,
        p90BusinessDays: 1,
      },
    });
  });

  it('leaves holidays out of severity-4 durations, and judges the target by the stored due date', () => {
    const calendar = { ...paris, holidays: ['2026-03-09', '2026-03-10'] };
    const friday = new Date('2026-03-06T14:00:00Z'); // due: Fri + 3 business days skipping Mon and Tue = Fri 15:00
    const resolvedWednesday = record(4, friday, 120, (5 * 24 + 2) * 60, calendar); // Wed 17:00 local
    const resolvedMonday = record(4, friday, 1500, 10 * 24 * 60, calendar); // the Monday after, 15:00 local: late
    expect(resolvedWednesday.resolutionDueAt.toISOString()).toBe('2026-03-13T14:00:00.000Z');
    const report = targetReport([resolvedWednesday, resolvedMonday], input({ calendar }));
    expect(report[3]).toMatchObject({
      count: 2,
      responded: 2,
      respondedWithinTarget: 1, // 1500 minutes is past the 24-hour response target
      resolved: 2,
      resolvedWithinTarget: 1,
      timeToResolution: {
        // 9 h Friday + 17 h Wednesday = 26 h; 9 h + Wed + Thu + Fri + 15 h Monday = 96 h
        medianHours: 61,
        p90Hours: 89,
        medianBusinessDays: 2.54,
        p90BusinessDays: 3.71,
      },
    });
  });

  it('counts a severity in minutes when its resolution target is plain time', () => {
    const table = {
      ...HANDBOOK_TARGETS,
      4: { responseMs: 24 * 60 * MIN, resolution: { ms: 72 * 60 * MIN } },
    };
    const friday = new Date('2026-03-06T14:00:00Z');
    const report = targetReport([record(4, friday, 60, 3 * 24 * 60)], input({ table }));
    expect(report[3].target).toEqual({ responseMinutes: 1440, resolutionMinutes: 4320 });
    expect(report[3].timeToResolution).toEqual({ medianMinutes: 4320, p90Minutes: 4320 });
  });
});
