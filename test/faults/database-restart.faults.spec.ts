import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningEmbeddedPostgres, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { freePort } from '../support/free-port';
import { Api, declareWithImpact, seed } from './support/api';
import { ledgerCounts, query } from './support/db';
import { FAULT_ADMIN_TOKEN, Instance, killAll } from './support/instances';
import { FaultRelay } from './support/relay';
import { FULL, sleep, waitFor } from './support/wait';

/**
 * The test's own embedded PostgreSQL (its own port and data folder, never the machine's server)
 * is restarted while a first notice fans out and the API takes writes. An API instance
 * (TOCSIN_ROLE=api) and a worker instance (TOCSIN_ROLE=worker) reconnect by themselves: every
 * write answered 2xx is there afterwards, and every contact gets the notice exactly once.
 */
const CUSTOMERS = FULL ? 30 : 10;
const PER_CUSTOMER = 100;
const DOWN_MS = FULL ? 10_000 : 3_000;
const RESTARTS = FULL ? 2 : 1;

describe('PostgreSQL restarted under load', () => {
  const relay = new FaultRelay();
  let root: string;
  let pgPort: number;
  let pg: RunningEmbeddedPostgres | undefined;
  let api: Instance | undefined;
  let worker: Instance | undefined;

  const startPg = async () =>
    startEmbeddedPostgres({ dataDir: join(root, 'pg'), port: pgPort, database: 'tocsin_faults' });

  beforeAll(async () => {
    await relay.start();
    root = await mkdtemp(join(tmpdir(), 'tocsin-faults-pg-'));
    // As root, PostgreSQL runs as the postgres user, which must be able to enter this folder.
    await chmod(root, 0o755);
    pgPort = await freePort();
    pg = await startPg();
  }, 60_000);
  afterAll(async () => {
    await killAll([api, worker]);
    await relay.stop();
    await pg?.stop().catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  it('reconnects by itself: no accepted write lost, no delivery lost or doubled', async () => {
    const env = {
      DATABASE_URL: pg!.url,
      SMTP_URL: relay.url,
      // Recording accepted mails waits out the outage within half the lease.
      DELIVERY_LEASE_SECONDS: String(Math.ceil((DOWN_MS * 4) / 1000)),
    };
    api = await Instance.create('api', { ...env, TOCSIN_ROLE: 'api', TOCSIN_DATA_DIR: join(root, 'api') });
    await api.start().healthy();
    worker = await Instance.create('worker', {
      ...env,
      TOCSIN_ROLE: 'worker',
      TOCSIN_DATA_DIR: join(root, 'worker'),
      // A slower drain keeps the fan-out going while the database is down.
      RELAY_RATE_PER_SECOND: '150',
    });
    await worker.start().healthy();
    const admin = new Api(api.base, FAULT_ADMIN_TOKEN);
    const s = await seed(admin, CUSTOMERS, PER_CUSTOMER, 'pgrestart');

    const incident = await declareWithImpact(s, 'Message broker loses its cluster quorum');
    await s.commander.ok(
      'POST',
      `/api/v1/incidents/${incident.id}/notifications/${incident.initialId}/approve`,
    );

    // API traffic for the whole run: every 2xx must be found afterwards.
    const written: string[] = [];
    const refused: number[] = [];
    /** Refusals other than "retry", with their bodies (their requestId leads to the api's log). */
    const unexpected: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        const res = await s.commander
          .call('POST', '/api/v1/incidents', {
            title: `Write ${n} during the database restart`,
            kind: 'service_disruption',
            severity: 3,
          })
          .catch(() => ({ status: 0, body: undefined }));
        if (res.status === 201) written.push(res.body.id);
        else refused.push(res.status);
        if (res.status !== 201 && res.status !== 0 && res.status !== 503)
          unexpected.push(`${res.status} ${JSON.stringify(res.body)}`);
        await sleep(25);
      }
    })();

    const recoveries: number[] = [];
    try {
      for (let restart = 1; restart <= RESTARTS; restart++) {
        await waitFor(
          `${restart * 15}% of the fan-out at the relay`,
          () => relay.received.length >= (s.contacts.length * restart * 15) / 100,
          60_000,
          20,
        );
        await pg!.stop();
        await sleep(DOWN_MS);
        pg = await startPg();
        const upAt = Date.now();
        const before = written.length;
        await waitFor('a write accepted again', () => written.length > before, 30_000, 50);
        recoveries.push(Date.now() - upAt);
      }
      await waitFor(
        'every contact at the relay',
        () => relay.uniqueCount() >= s.contacts.length,
        90_000,
        100,
      );
      await waitFor(
        'every delivery recorded',
        async () => (await ledgerCounts(pg!.url, incident.id)).open === 0,
        30_000,
        200,
      );
    } finally {
      writing = false;
      await writer;
    }
    await sleep(1_000);

    expect(api.alive).toBe(true);
    expect(worker.alive).toBe(true);
    expect(written.length).toBeGreaterThan(0);
    const found = await query<{ id: string }>(
      pg!.url,
      `SELECT id FROM incidents WHERE id = ANY($1::uuid[])`,
      [written],
    );
    expect(found).toHaveLength(written.length);
    // Refusals say "retry" (503 database_unavailable) or time out; never a 2xx, never a 500.
    expect({ unexpected, log: unexpected.length ? api.output() : '' }).toEqual({ unexpected: [], log: '' });
    for (const status of refused) expect([0, 503]).toContain(status);
    const statuses = [...new Set(refused)].sort().join('/');

    // TOCSIN_ROLE: only the worker instance sent; the api instance only wrote ledger rows.
    const senders = await query<{ locked_by: string }>(
      pg!.url,
      `SELECT DISTINCT locked_by FROM deliveries WHERE incident_id = $1`,
      [incident.id],
    );
    expect(senders.map((r) => r.locked_by.split(':')[1])).toEqual([String(worker.pid)]);
    expect(relay.uniqueCount()).toBe(s.contacts.length);
    expect(relay.duplicates()).toEqual([]);
    expect(await ledgerCounts(pg!.url, incident.id)).toEqual({
      total: s.contacts.length,
      accepted: s.contacts.length,
      failed: 0,
      open: 0,
    });
    console.log(
      `PostgreSQL restarted ${RESTARTS}x (${DOWN_MS / 1000} s down) during a ${s.contacts.length}-contact fan-out and API writes: ` +
        `${written.length} writes accepted (all found), ${refused.length} refused while down (${statuses}), ` +
        `writes accepted again ${recoveries.join(', ')} ms after restart, 0 lost, 0 duplicates ` +
        `(the worker waited out ${worker.output().split('database unavailable while recording').length - 1} failed ledger write(s))`,
    );
  });
});
