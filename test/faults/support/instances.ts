import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../support/free-port';
import { waitFor, withTimeout } from './wait';

/** The built service, as production runs it (`node dist/src/main.js`); FAULTS_MAIN picks another build. */
const MAIN = process.env.FAULTS_MAIN ?? join(__dirname, '../../../dist/src/main.js');
export const FAULT_ADMIN_TOKEN = 'tcs_faults-admin-token-0123456789abcdef';

/** Settings every fault instance shares: loopback, short ticks and leases, scaled windows set per test. */
const BASE_ENV = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  TOCSIN_ADMIN_TOKEN: FAULT_ADMIN_TOKEN,
  RATE_LIMIT_PER_MINUTE: '1000000',
  TICK_INTERVAL_MS: '200',
  DELIVERY_LEASE_SECONDS: '3',
  DELIVERY_RETRY_BASE_SECONDS: '0.5',
  DELIVERY_RETRY_MAX_SECONDS: '2',
};

/** One service process; its output is kept (last lines) for failure messages. */
export class Instance {
  readonly base: string;
  private child?: ChildProcess;
  private lines: string[] = [];
  exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly name: string,
    readonly port: number,
    readonly env: Record<string, string>,
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  static async create(name: string, env: Record<string, string>): Promise<Instance> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
    return new Instance(name, await freePort(), env);
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  output(): string {
    return this.lines.join('\n');
  }

  start(): this {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', ...BASE_ENV, PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.lines.length > 300) this.lines.splice(0, this.lines.length - 300);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    // 'close' comes after 'exit' once the output pipes are drained too: nothing of it is left running.
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    return this;
  }

  async healthy(withinMs = 60_000): Promise<this> {
    const state = await waitFor(
      `${this.name} healthy`,
      async () => {
        // An exit ends the wait at once (a thrown error would only be retried until the deadline).
        if (this.child && !this.alive) return 'exited';
        const res = await fetch(`${this.base}/health`, { signal: AbortSignal.timeout(2_000) });
        return res.status === 200 && 'healthy';
      },
      withinMs,
      200,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${this.name} output ---\n${this.output()}`);
    });
    if (state === 'exited') throw new Error(`${this.name} exited before it was healthy:\n${this.output()}`);
    return this;
  }

  /** SIGKILL: no shutdown hook runs, leases stay until they expire. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child!.kill('SIGKILL');
    await withTimeout(this.exited, 10_000, 'no exit');
  }

  /** SIGTERM and the graceful shutdown; returns the exit code. */
  async terminate(withinMs = 30_000): Promise<number | null> {
    if (!this.alive) return this.child?.exitCode ?? null;
    this.child!.kill('SIGTERM');
    return withTimeout(this.exited, withinMs, 'no exit');
  }
}

/** For afterAll: every instance still running is killed, whatever state the test left. */
export async function killAll(instances: (Instance | undefined)[]): Promise<void> {
  await Promise.all(
    instances.map(async (i) => {
      if (!i?.alive) return;
      await i.kill().catch(() => undefined);
    }),
  );
}
