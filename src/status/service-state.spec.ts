import { historyDays, stateForSeverity, worstState } from './service-state';

describe('public service state', () => {
  it('maps severity 1 to a major outage and 2–4 to degraded', () => {
    expect([1, 2, 3, 4].map(stateForSeverity)).toEqual(['major_outage', 'degraded', 'degraded', 'degraded']);
  });

  it('takes the worst state, operational when there is none', () => {
    expect(worstState([])).toBe('operational');
    expect(worstState(['degraded', 'major_outage', 'degraded'])).toBe('major_outage');
    expect(worstState(['degraded'])).toBe('degraded');
  });

  it('builds a 90-day strip in local days, marking every day an incident overlapped', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const days = historyDays(
      [
        // 23:30 Paris on 1 March to 00:30 on 2 March: two local days.
        {
          severity: 2,
          startedAt: new Date('2026-03-01T22:30:00Z'),
          endedAt: new Date('2026-03-01T23:30:00Z'),
        },
        { severity: 1, startedAt: new Date('2026-03-10T08:00:00Z'), endedAt: null },
      ],
      now,
      'Europe/Paris',
    );
    expect(days).toHaveLength(90);
    expect(days[89]).toEqual({ date: '2026-03-10', state: 'major_outage' });
    const byDate = new Map(days.map((d) => [d.date, d.state]));
    expect(byDate.get('2026-03-01')).toBe('degraded');
    expect(byDate.get('2026-03-02')).toBe('degraded');
    expect(byDate.get('2026-03-03')).toBe('operational');
    expect(days[0].date).toBe('2025-12-11');
  });
});
