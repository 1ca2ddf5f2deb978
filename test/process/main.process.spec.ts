import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../support/free-port';

/**
 * The built service as a user runs it (`node dist/src/main.js`, what `npm start` runs), on the
 * embedded default: configuration errors, start-up, persistence across a restart, SIGTERM.
 * `npm test` builds first (pretest), so dist/ is current.
 */
const MAIN = join(__dirname, '../../dist/src/main.js');
const ADMIN = 'tcs_process-test-admin-token-0123456789';

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Listens on each port that is free (one already taken by something else serves as well). */
async function occupy(ports: number[]): Promise<Server[]> {
  const held = await Promise.all(
    ports.map(
      (port) =>
        new Promise<Server | undefined>((resolve) => {
          const server = createServer();
          server.once('error', () => resolve(undefined));
          server.listen(port, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  return held.filter((server): server is Server => server !== undefined);
}

async function waitForHealth(base: string, running: Running, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`service exited early:\n${running.output()}`);
    const ok = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no healthy /health within ${withinMs} ms:\n${running.output()}`);
}

describe('the service process (embedded default)', () => {
  let root: string;
  let defaults: Server[] = [];
  beforeAll(async () => {
    if (!existsSync(MAIN))
      throw new Error('dist/src/main.js is missing: run `npm run build` (npm test does it)');
    root = await mkdtemp(join(tmpdir(), 'tocsin-process-'));
    await chmod(root, 0o755);
    // As on a developer's machine running other things: the defaults (HTTP 3000, embedded
    // PostgreSQL 5433, mail catcher 2525) are taken, so every listener must be given a port.
    defaults = await occupy([3000, 5433, 2525]);
  });
  afterAll(async () => {
    await Promise.all(defaults.map((server) => new Promise((done) => server.close(done))));
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a wrong variable with one line naming it, and exits 1', async () => {
    const bad = run({ PORT: 'eighty' });
    expect(await bad.exited).toBe(1);
    expect(bad.output().trim()).toBe('Invalid configuration: PORT must be a number (got "eighty")');
  });

  it('starts healthy, keeps a declared incident across a restart, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      TOCSIN_EMBEDDED_PG_PORT: String(await freePort()),
      MAIL_CATCHER_PORT: String(await freePort()),
      TOCSIN_DATA_DIR: join(root, 'var'),
      TOCSIN_ADMIN_TOKEN: ADMIN,
    };
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

    const first = run(env);
    const startedAt = Date.now();
    // initdb, PostgreSQL, migrations and Nest: 5 s on an idle machine, 35 s seen on a busy one.
    await waitForHealth(base, first, 120_000);
    console.log(`first start healthy after ${Date.now() - startedAt} ms`);
    const declared = await fetch(`${base}/api/v1/incidents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'Fax gateway drops pages', kind: 'service_disruption', severity: 3 }),
    });
    expect(declared.status).toBe(201);
    const incident = (await declared.json()) as { id: string; reference: string };

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = run({ ...env, LOG_LEVEL: 'info' });
    await waitForHealth(base, second, 120_000);
    const fetched = await fetch(`${base}/api/v1/incidents/${incident.reference}`, { headers });
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toMatchObject({
      id: incident.id,
      title: 'Fax gateway drops pages',
      severity: 3,
    });

    // One JSON line per request: method, path (no query string), status and the request id.
    const path = `/api/v1/incidents/${incident.reference}`;
    const logged = () =>
      second
        .output()
        .split('\n')
        .filter((line) => line.includes('"request completed"'))
        .map(
          (line) =>
            JSON.parse(line) as { req: { method: string; path: string }; res: { statusCode: number } },
        )
        .find((entry) => entry.req.path === path);
    // The line is written after the response: wait for it, up to a deadline.
    for (const deadline = Date.now() + 5_000; !logged() && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 50));
    expect(logged()).toMatchObject({ req: { method: 'GET', path }, res: { statusCode: 200 } });
    expect(second.output()).not.toContain('"path":"/health"'); // polled above, never logged

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).not.toContain(ADMIN);
  }, 300_000);
});
