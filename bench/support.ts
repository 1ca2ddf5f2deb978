import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

/** `--name value` from argv, with a default. */
export function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** DATABASE_URL when given (a fresh database is created on it), else a throw-away embedded PostgreSQL. */
export async function benchDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const { Client } = await import('pg');
  const name = `tocsin_bench_${Date.now()}`;
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined as unknown;
  let root: string | undefined;
  if (!serverUrl) {
    root = await mkdtemp(join(tmpdir(), 'tocsin-bench-'));
    await chmod(root, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), port: await freePort() });
    serverUrl = pg.url;
    stopServer = () => pg.stop();
  }
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const drop = new Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
      await stopServer();
      if (root) await rm(root, { recursive: true, force: true });
    },
  };
}

export interface Sink {
  url: string;
  port: number;
  kind: string;
  /** Messages the sink saw (JS sink only; postfix's smtp-sink is counted by the senders' 250s). */
  count(): number | undefined;
  stop(): Promise<void>;
}

/**
 * The loopback relay both contenders send to: Debian postfix's `smtp-sink` when installed (the
 * fast C one), else a counting `smtp-server`.
 */
export async function startSink(): Promise<Sink> {
  const port = await freePort();
  if (spawnSync('sh', ['-c', 'command -v smtp-sink']).status === 0) {
    const args = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
    const child: ChildProcess = spawn('smtp-sink', [...args, `127.0.0.1:${port}`, '1000'], {
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 300));
    return {
      url: `smtp://127.0.0.1:${port}`,
      port,
      kind: 'postfix smtp-sink',
      count: () => undefined,
      stop: async () => void child.kill('SIGTERM'),
    };
  }
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    kind: 'smtp-server (JS)',
    count: () => received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Peak resident memory, sampled every 100 ms. */
export function memoryPeak(): { peakMb(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    peakMb: () => Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576),
    stop: () => clearInterval(timer),
  };
}
