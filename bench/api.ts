import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { ChildProcess, fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import { PacedRequest, pacedLoad } from './paced-load';
import { benchDatabase, flag } from './support';

/**
 * `npm run bench:api [-- --duration 6 --rates 100,250,500 --connections 32 --incidents 200]
 * [--only 'list incidents,get incident'] [--profile DIR]`:
 * Tocsin's API (list, get, declare, post a status update) next to a bare NestJS endpoint on the
 * same Fastify adapter with no database, both served from child processes started in this run,
 * so the load generator does not share their event loop. Each scenario runs at rising offered
 * rates as a steady open-loop stream (`pacedLoad`: latency counted from when each request was
 * due), then at its maximum throughput with autocannon (closed loop, `--connections`). Last
 * line: one JSON object; `ratio` = Tocsin's maximum get-incident throughput ÷ the bare
 * endpoint's maximum throughput (higher is better).
 */
const ADMIN_TOKEN = 'tcs_bench-admin-token-0123456789abcdef';
const GOAL_P99_MS = 50;

interface Measured {
  scenario: string;
  offered: number | 'max';
  perSecond: number;
  p50: number;
  p99: number;
  /** Slowest response (paced runs only). */
  max?: number;
  non2xx: number;
  errors: number;
}

async function main(): Promise<void> {
  const serveAt = process.argv.indexOf('--serve');
  if (serveAt > 0) return serve(process.argv[serveAt + 1]);

  const duration = flag('duration', 6);
  const connections = flag('connections', 32);
  const incidents = flag('incidents', 200);
  const rateArg = process.argv.indexOf('--rates');
  const rates = (rateArg > 0 ? process.argv[rateArg + 1] : '100,250,500').split(',').map(Number);
  // `--only 'list incidents,get incident'`: those scenarios alone (the summary needs all three reads).
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : undefined;

  const database = await benchDatabase();
  const bare = await startServer('bare', {});
  const tocsin = await startServer('tocsin', { BENCH_DATABASE_URL: database.url });
  const results: Measured[] = [];
  try {
    const world = await seed(tocsin.url, incidents);
    console.log(
      `seeded ${incidents} incidents (${world.notified.length} with a first notice sent); ` +
        `${duration} s per run; steady offered rates ${rates.join('/')} req/s, then max with ${connections} connections`,
    );
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const scenarios: { name: string; url: string; requests: PacedRequest[] }[] = [
      { name: 'bare NestJS GET', url: bare.url, requests: [{ method: 'GET', path: '/bare' }] },
      {
        name: 'list incidents',
        url: tocsin.url,
        requests: [{ method: 'GET', path: '/api/v1/incidents?limit=20', headers: auth }],
      },
      {
        name: 'get incident',
        url: tocsin.url,
        requests: world.ids.slice(0, 100).map((id) => ({
          method: 'GET' as const,
          path: `/api/v1/incidents/${id}`,
          headers: auth,
        })),
      },
      {
        name: 'declare incident',
        url: tocsin.url,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/incidents',
            headers: json,
            body: JSON.stringify({
              title: 'SFTP logins slow for some partners',
              kind: 'service_disruption',
              severity: 3,
              serviceIds: [world.serviceId],
            }),
          },
        ],
      },
      {
        name: 'post status update',
        url: tocsin.url,
        requests: world.notified.map((id) => ({
          method: 'POST' as const,
          path: `/api/v1/incidents/${id}/updates`,
          headers: json,
          body: JSON.stringify({ message: 'Half of the partners are connected again.' }),
        })),
      },
    ];

    const chosen = scenarios.filter((s) => !only || only.includes(s.name));
    const reads = chosen.filter((s) => s.requests[0].method === 'GET');
    const writes = chosen.filter((s) => s.requests[0].method === 'POST');
    // Reads at steady rates, then at maximum throughput, then writes (which grow the tables the
    // reads scan): no steady read run inherits the heap a saturating run leaves behind. Writes
    // at "max" only fill the database; their rising rates say enough.
    const plan: { s: (typeof scenarios)[number]; rate: number | 'max' }[] = [
      ...reads.flatMap((s) => rates.map((rate) => ({ s, rate }))),
      ...reads.map((s) => ({ s, rate: 'max' as const })),
      ...writes.flatMap((s) => rates.map((rate) => ({ s, rate }))),
    ];

    // Warm both servers (JIT, pools, prepared statements) at the top rate, unmeasured, long
    // enough for the Tocsin process's first full garbage collections after start-up (its heap
    // grown by the seeding), which run on both cores for 50 to 100 ms: a service that has been
    // up for a while is past them.
    for (const s of scenarios.slice(0, 3)) await pacedLoad(s.url, s.requests, Math.max(...rates), 6);

    for (const [index, { s, rate }] of plan.entries()) {
      // The first saturating run also warms autocannon itself.
      if (rate === 'max' && plan[index - 1]?.rate !== 'max')
        await run(bare.url, scenarios[0].requests, connections, 1);
      const r =
        rate === 'max'
          ? await run(s.url, s.requests, connections, duration)
          : await settleThen(() => pacedLoad(s.url, s.requests, rate, duration));
      const measured = { scenario: s.name, offered: rate, ...r };
      results.push(measured);
      console.log(
        `${s.name.padEnd(20)} offered ${String(rate).padStart(4)} req/s → ${r.perSecond.toFixed(0).padStart(5)} req/s, ` +
          `p50 ${r.p50} ms, p99 ${r.p99} ms${'max' in r ? `, max ${r.max} ms` : ''}` +
          `${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`,
      );
    }
  } finally {
    tocsin.stop();
    bare.stop();
    await database.stop();
  }

  if (only) return;
  const at = (scenario: string, offered: number | 'max') =>
    results.find((r) => r.scenario === scenario && r.offered === offered);
  const top = Math.max(...rates);
  const bareMax = at('bare NestJS GET', 'max')!.perSecond;
  const getMax = at('get incident', 'max')!.perSecond;
  const listMax = at('list incidents', 'max')!.perSecond;
  const readP99 = Math.max(at('get incident', top)!.p99, at('list incidents', top)!.p99);
  const ratio = round(getMax / bareMax);
  console.log(
    `max throughput: bare ${bareMax.toFixed(0)} req/s, get incident ${getMax.toFixed(0)} req/s, list ${listMax.toFixed(0)} req/s; ` +
      `ratio (get ÷ bare) ${ratio}, list ÷ bare ${round(listMax / bareMax)}; ` +
      `read p99 at ${top} req/s ${readP99} ms (goal < ${GOAL_P99_MS} ms, ratio ≥ 0.5)`,
  );
  console.log(
    JSON.stringify({
      bench: 'api',
      durationSeconds: duration,
      connections,
      rates,
      bareMaxPerSecond: round(bareMax),
      getMaxPerSecond: round(getMax),
      listMaxPerSecond: round(listMax),
      readP99AtTopRateMs: readP99,
      goalMet: readP99 < GOAL_P99_MS && ratio >= 0.5,
      ratio,
      ratioList: round(listMax / bareMax),
      runs: results,
    }),
  );
}

/** Closed loop: `connections` requests always in flight, as many as the server answers. */
async function run(
  url: string,
  requests: PacedRequest[],
  connections: number,
  duration: number,
): Promise<Omit<Measured, 'scenario' | 'offered'>> {
  const result = await autocannon({ url, connections, duration, requests });
  return {
    perSecond: round(result['2xx'] / duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Services, customers with contacts, incidents; a share of them notified so updates can be posted. */
async function seed(base: string, count: number) {
  const call = async <T = { id: string }>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const service = await call('POST', '/api/v1/services', { key: 'as2-gateway', name: 'AS2 gateway' });
  for (let c = 0; c < 10; c++) {
    await call('POST', '/api/v1/customers', {
      name: `Bench customer ${c}`,
      language: c % 2 ? 'en' : 'fr',
      serviceIds: [service.id],
      contacts: [1, 2, 3].map((n) => ({
        name: `Operations ${n}`,
        email: `ops${n}.c${c}@customer.example.net`,
      })),
    });
  }
  const ids: string[] = [];
  const notified: string[] = [];
  for (let i = 0; i < count; i++) {
    const incident = await call('POST', '/api/v1/incidents', {
      title: `AS2 gateway rejects inbound messages #${i}`,
      kind: 'service_disruption',
      severity: 1 + (i % 4),
      serviceIds: [service.id],
    });
    ids.push(incident.id);
    if (i < 20) {
      await call('POST', `/api/v1/incidents/${incident.id}/impact`);
      const {
        items: [initial],
      } = await call<{ items: { id: string }[] }>('GET', `/api/v1/incidents/${incident.id}/notifications`);
      await call('POST', `/api/v1/incidents/${incident.id}/notifications/${initial.id}/approve`);
      notified.push(incident.id);
    }
  }
  return { serviceId: service.id as string, ids, notified };
}

/** Forks this file with --serve KIND and waits for the child to report its port. */
function startServer(kind: string, env: Record<string, string>): Promise<{ url: string; stop(): void }> {
  return new Promise((resolve, reject) => {
    const profileAt = process.argv.indexOf('--profile');
    const child: ChildProcess = fork(process.argv[1], ['--serve', kind], {
      env: { ...process.env, ...env },
      // `--profile DIR`: a V8 CPU profile of the Tocsin process, written when it stops.
      execArgv:
        kind === 'tocsin' && profileAt > 0
          ? ['--cpu-prof', `--cpu-prof-dir=${process.argv[profileAt + 1]}`]
          : [],
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once('message', (message: { port: number }) =>
      resolve({ url: `http://127.0.0.1:${message.port}`, stop: () => void child.kill('SIGTERM') }),
    );
  });
}

@Controller()
class BareController {
  @Get('bare')
  get() {
    return { status: 'ok', at: new Date().toISOString() };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function serve(kind: string): Promise<void> {
  let app: NestFastifyApplication;
  if (kind === 'bare') {
    app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), {
      logger: false,
    });
  } else {
    const config = loadConfig({
      LOG_LEVEL: 'warn',
      TOCSIN_ADMIN_TOKEN: ADMIN_TOKEN,
      RATE_LIMIT_PER_MINUTE: '100000000',
      // The API measured alone: no ticks or delivery worker competing for the two cores.
      TICK_INTERVAL_MS: '0',
      SMTP_URL: 'smtp://127.0.0.1:9',
    });
    app = await createApp({ config, databaseUrl: process.env.BENCH_DATABASE_URL! });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.send!({ port: (app.getHttpServer().address() as AddressInfo).port });
}

/** Two idle seconds first, so no process is still recovering from the run before (GC, sockets). */
async function settleThen<T>(measure: () => Promise<T>): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return measure();
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
