export interface AcceptedChartInput {
  /** When the impact was defined: the first-notice clock starts. */
  start: Date;
  target: Date;
  deadline: Date;
  now: Date;
  /** Impacted contacts: the height of the chart. */
  total: number;
  /** Accepted first notices per instant, in time order. */
  points: { at: Date; count: number }[];
}

const WIDTH = 320;
const HEIGHT = 120;
const LEFT = 30;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 20;

/**
 * Geometry of the board's small chart (inline SVG, drawn server-side): accepted first notices
 * over time as a step line, with the target (20 min) and deadline (30 min) as vertical lines.
 * The time axis runs from the impact definition to a little past the deadline (or to now, or
 * the last acceptance, whichever is later).
 */
export function acceptedChart(input: AcceptedChartInput) {
  const start = input.start.getTime();
  const deadline = input.deadline.getTime();
  const lastPoint = input.points.at(-1)?.at.getTime() ?? start;
  const end = Math.max(deadline + (deadline - start) * 0.2, input.now.getTime(), lastPoint, start + 1);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (t: number) =>
    round(LEFT + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * plotWidth);
  const max = Math.max(input.total, 1);
  const y = (n: number) => round(TOP + plotHeight - (Math.min(n, max) / max) * plotHeight);

  let accepted = 0;
  let byTarget = 0;
  let byDeadline = 0;
  const line: string[] = [`${x(start)},${y(0)}`];
  for (const point of input.points) {
    const at = point.at.getTime();
    line.push(`${x(at)},${y(accepted)}`);
    accepted += point.count;
    line.push(`${x(at)},${y(accepted)}`);
    if (at <= input.target.getTime()) byTarget = accepted;
    if (at <= deadline) byDeadline = accepted;
  }
  const nowTime = Math.min(input.now.getTime(), end);
  line.push(`${x(Math.max(nowTime, lastPoint))},${y(accepted)}`);
  const minutes = (t: number) => Math.round((t - start) / 60_000);

  return {
    width: WIDTH,
    height: HEIGHT,
    axis: { left: LEFT, right: WIDTH - RIGHT, top: TOP, bottom: TOP + plotHeight },
    line: line.join(' '),
    target: { x: x(input.target.getTime()), minutes: minutes(input.target.getTime()) },
    deadline: { x: x(deadline), minutes: minutes(deadline) },
    now: { x: x(input.now.getTime()), visible: input.now.getTime() >= start },
    labelY: HEIGHT - 6,
    total: input.total,
    accepted,
    byTarget,
    byDeadline,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
