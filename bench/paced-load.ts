import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

/**
 * An open-loop load at a steady offered rate: request i is due at start + i / rate, whatever
 * happened to the earlier ones, and its latency counts from that due time to the end of the
 * response — so time spent queued behind a slow response (in the server or in this client's
 * socket pool) is measured, not hidden (no "coordinated omission").
 *
 * The first `leadInSeconds` run at the same rate but are not counted (the ramp: sockets opened,
 * statements prepared on connections the pool had not used yet).
 *
 * autocannon's `overallRate` is not used for this: it gives each connection a budget per second
 * and spends it back to back at every second tick, so "500 req/s" arrives as one burst of 500 a
 * second and its latencies are those of a burst.
 */
export async function pacedLoad(
  base: string,
  requests: PacedRequest[],
  rate: number,
  durationSeconds: number,
  leadInSeconds = 1,
): Promise<PacedResult> {
  const { hostname, port } = new URL(base);
  // Enough sockets that the client never is the queue at the rates measured here.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const leadIn = Math.round(rate * leadInSeconds);
  const total = leadIn + Math.round(rate * durationSeconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const pending: Promise<void>[] = [];

  const send = (next: PacedRequest, dueAt: number, counted: boolean) =>
    new Promise<void>((done) => {
      const req = request(
        { agent, host: hostname, port, method: next.method, path: next.path, headers: next.headers },
        (res) => {
          res.resume();
          res.once('end', () => {
            const ok = res.statusCode! >= 200 && res.statusCode! < 300;
            if (counted && ok) latencies.push(performance.now() - dueAt);
            else if (counted) non2xx++;
            done();
          });
        },
      );
      req.once('error', () => {
        if (counted) errors++;
        done();
      });
      req.end(next.body);
    });

  const start = performance.now();
  const interval = 1000 / rate;
  let sent = 0;
  while (sent < total) {
    // Timers wake about once a millisecond: send every request that has fallen due since.
    const now = performance.now();
    while (sent < total && start + sent * interval <= now) {
      pending.push(send(requests[sent % requests.length], start + sent * interval, sent >= leadIn));
      sent++;
    }
    await new Promise((wake) => setTimeout(wake, Math.max(0, start + sent * interval - performance.now())));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000 - leadInSeconds;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies.length
      ? round1(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)])
      : NaN;
  return {
    perSecond: Math.round(latencies.length / elapsed),
    p50: percentile(0.5),
    p99: percentile(0.99),
    max: latencies.length ? round1(latencies[latencies.length - 1]) : NaN,
    non2xx,
    errors,
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
