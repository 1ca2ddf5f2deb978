import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../support/test-database';
import { Api, declareWithImpact, Scenario, seed } from './support/api';
import { ledgerCounts, query } from './support/db';
import { FAULT_ADMIN_TOKEN, Instance, killAll } from './support/instances';
import { FaultRelay } from './support/relay';
import { sleep, waitFor } from './support/wait';

/**
 * The service's database sessions are killed (pg_terminate_backend) and its pool is exhausted
 * (every connection stuck behind a lock): the process never crashes and work resumes within 30 s.
 */
const POOL_SIZE = 4;
const RESUME_WITHIN_MS = 30_000;

describe('database sessions killed, pool exhausted', () => {
  const relay = new FaultRelay();
  let database: { url: string; drop(): Promise<void> };
  let root: string;
  let instance: Instance | undefined;
  let s: Scenario;

  /** Terminates this test database's service sessions; returns how many. */
  const terminateSessions = async () =>
    (
      await query<{ n: number }>(
        database.url,
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'tocsin' AND pid <> pg_backend_pid()`,
      )
    )[0].n;

  const declare = (title: string, timeoutMs = 15_000) =>
    s.commander
      .call('POST', '/api/v1/incidents', { title, kind: 'service_disruption', severity: 3 }, timeoutMs)
      .catch(() => ({ status: 0, body: undefined }));

  /** Time until a write is accepted again. */
  const resumes = async (label: string) => {
    const from = Date.now();
    await waitFor(
      label,
      async () => (await declare(`${label} probe`, 5_000)).status === 201,
      RESUME_WITHIN_MS,
      100,
    );
    return Date.now() - from;
  };

  beforeAll(async () => {
    await relay.start();
    database = await createTestDatabase();
    root = await mkdtemp(join(tmpdir(), 'tocsin-faults-sessions-'));
    await chmod(root, 0o755);
    instance = await Instance.create('all-1', {
      DATABASE_URL: database.url,
      SMTP_URL: relay.url,
      TOCSIN_DATA_DIR: join(root, 'var'),
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      RELAY_RATE_PER_SECOND: '300',
    });
    await instance.start().healthy();
    s = await seed(new Api(instance.base, FAULT_ADMIN_TOKEN), 10, 100, 'sessions');
  }, 120_000);
  afterAll(async () => {
    await killAll([instance]);
    await relay.stop();
    await database?.drop().catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('survives its sessions being terminated in the middle of a fan-out and resumes within 30 s', async () => {
    const incident = await declareWithImpact(s, 'Search index returns stale results');
    await s.commander.ok(
      'POST',
      `/api/v1/incidents/${incident.id}/notifications/${incident.initialId}/approve`,
    );
    await waitFor('the fan-out under way', () => relay.received.length >= 100, 30_000, 20);
    let terminated = 0;
    for (let round = 0; round < 3; round++) {
      terminated += await terminateSessions();
      await sleep(300);
    }
    const resumedMs = await resumes('a write after the sessions were killed');
    await waitFor('every contact at the relay', () => relay.uniqueCount() >= s.contacts.length, 60_000, 100);
    await waitFor(
      'every delivery recorded',
      async () => (await ledgerCounts(database.url, incident.id)).open === 0,
      30_000,
      200,
    );
    expect(instance!.alive).toBe(true);
    expect(terminated).toBeGreaterThan(0);
    expect(relay.uniqueCount()).toBe(s.contacts.length);
    const ledger = await ledgerCounts(database.url, incident.id);
    expect(ledger).toMatchObject({ accepted: s.contacts.length, failed: 0, open: 0 });
    console.log(
      `${terminated} service sessions terminated in 3 rounds mid fan-out: writes resumed after ${resumedMs} ms, ` +
        `all ${s.contacts.length} delivered, ${relay.duplicates().length} duplicate(s)`,
    );
  });

  it('survives an exhausted pool (every connection stuck behind a lock) and resumes within 30 s', async () => {
    const blocker = new Client({ connectionString: database.url });
    blocker.on('error', () => undefined);
    await blocker.connect();
    const statuses: number[] = [];
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE incidents IN ACCESS EXCLUSIVE MODE');
      // Many more requests than connections: they wait for the pool, then time out (10 s).
      const requests = Array.from({ length: POOL_SIZE * 8 }, (_, i) =>
        declare(`Request ${i} while the pool is exhausted`, 25_000).then((r) => statuses.push(r.status)),
      );
      await sleep(12_000);
      expect(instance!.alive).toBe(true);
      await blocker.query('ROLLBACK');
      await Promise.all(requests);
    } finally {
      await blocker.end().catch(() => undefined);
    }
    const resumedMs = await resumes('a write after the pool was exhausted');
    expect(instance!.alive).toBe(true);
    // Every request got an answer: done once the lock went, or an error, never a hang.
    expect(statuses).toHaveLength(POOL_SIZE * 8);
    for (const status of statuses) expect([201, 503]).toContain(status);
    const health = await fetch(`${instance!.base}/health`);
    expect(health.status).toBe(200);
    const counts = statuses.reduce<Record<number, number>>(
      (acc, st) => ({ ...acc, [st]: (acc[st] ?? 0) + 1 }),
      {},
    );
    console.log(
      `pool of ${POOL_SIZE} exhausted for 12 s by ${POOL_SIZE * 8} requests behind a lock: answers ${JSON.stringify(counts)}, ` +
        `writes resumed ${resumedMs} ms after the lock was released`,
    );
  });
});
