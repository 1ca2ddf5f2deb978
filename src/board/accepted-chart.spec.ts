import { acceptedChart } from './accepted-chart';

describe('accepted-notices chart', () => {
  const start = new Date('2026-03-02T09:00:00Z');
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

  it('draws a step line of accepted notices against the target and deadline lines', () => {
    const chart = acceptedChart({
      start,
      target: at(20),
      deadline: at(30),
      now: at(25),
      total: 4,
      points: [
        { at: at(3), count: 2 },
        { at: at(22), count: 1 },
      ],
    });
    expect(chart.accepted).toBe(3);
    expect(chart.byTarget).toBe(2);
    expect(chart.byDeadline).toBe(3);
    expect(chart.target.minutes).toBe(20);
    expect(chart.deadline.minutes).toBe(30);
    // The axis runs to 36 minutes (deadline + 20 %): the deadline sits at 30/36 of the plot.
    expect(chart.deadline.x).toBeCloseTo(30 + (282 * 30) / 36, 0);
    expect(chart.target.x).toBeLessThan(chart.deadline.x);
    const points = chart.line.split(' ').map((p) => p.split(',').map(Number));
    expect(points[0]).toEqual([30, 100]);
    // Height 2 of 4 after the first group: half way up the 92-pixel plot.
    expect(points[2][1]).toBe(54);
    expect(points.at(-1)![1]).toBe(31);
  });

  it('copes with no contacts and a clock past the axis', () => {
    const chart = acceptedChart({
      start,
      target: at(20),
      deadline: at(30),
      now: at(90),
      total: 0,
      points: [],
    });
    expect(chart.accepted).toBe(0);
    expect(chart.line).toMatch(/^30,100 /);
    expect(chart.now.x).toBe(312);
  });
});
