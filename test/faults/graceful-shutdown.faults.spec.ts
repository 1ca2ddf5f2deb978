import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../support/test-database';
import { Api, declareWithImpact, seed } from './support/api';
import { ledgerCounts, query } from './support/db';
import { FAULT_ADMIN_TOKEN, Instance, killAll } from './support/instances';
import { FaultRelay } from './support/relay';
import { waitFor } from './support/wait';

/**
 * A rolling restart: SIGTERM in the middle of a fan-out. The worker claims nothing more,
 * finishes the batch in flight and records it before the process exits 0, so no row is left
 * leased and no mail is sent twice; the restarted process sends the rest.
 */
describe('graceful shutdown in the middle of a fan-out', () => {
  const relay = new FaultRelay();
  let database: { url: string; drop(): Promise<void> };
  let root: string;
  let first: Instance | undefined;
  let second: Instance | undefined;

  beforeAll(async () => {
    await relay.start();
    database = await createTestDatabase();
    root = await mkdtemp(join(tmpdir(), 'tocsin-faults-sigterm-'));
    await chmod(root, 0o755);
  });
  afterAll(async () => {
    await killAll([first, second]);
    await relay.stop();
    await database?.drop().catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('drains the deliveries in flight, exits 0, and leaves nothing leased or doubled', async () => {
    const env = {
      DATABASE_URL: database.url,
      SMTP_URL: relay.url,
      TOCSIN_DATA_DIR: join(root, 'var'),
      // Leases far longer than the test: a row left leased would show as missing, not resent.
      DELIVERY_LEASE_SECONDS: '600',
      RELAY_RATE_PER_SECOND: '400',
    };
    first = await Instance.create('all-1', env);
    await first.start().healthy();
    const s = await seed(new Api(first.base, FAULT_ADMIN_TOKEN), 10, 100, 'sigterm');
    const incident = await declareWithImpact(s, 'Label printing service unreachable');
    await s.commander.ok(
      'POST',
      `/api/v1/incidents/${incident.id}/notifications/${incident.initialId}/approve`,
    );
    await waitFor('a fifth of the fan-out', () => relay.received.length >= s.contacts.length / 5, 30_000, 10);

    const stoppingAt = Date.now();
    expect(await first.terminate(30_000)).toBe(0);
    const stopMs = Date.now() - stoppingAt;
    const atExit = relay.received.length;
    const ledger = await query<{ status: string; n: number }>(
      database.url,
      `SELECT status, count(*)::int AS n FROM deliveries WHERE incident_id = $1 GROUP BY 1`,
      [incident.id],
    );
    const byStatus = Object.fromEntries(ledger.map((r) => [r.status, r.n]));
    // Everything the relay took is recorded; nothing is left leased by the stopped process.
    expect(byStatus.sending ?? 0).toBe(0);
    expect(byStatus.accepted).toBe(atExit);
    expect(atExit).toBeLessThan(s.contacts.length);

    second = await Instance.create('all-1b', env);
    await second.start().healthy();
    await waitFor('every contact at the relay', () => relay.uniqueCount() >= s.contacts.length, 60_000, 100);
    await waitFor(
      'every delivery recorded',
      async () => (await ledgerCounts(database.url, incident.id)).open === 0,
      20_000,
      200,
    );
    expect(relay.received).toHaveLength(s.contacts.length);
    expect(relay.duplicates()).toEqual([]);
    console.log(
      `SIGTERM at ${atExit}/${s.contacts.length} mails: stopped in ${stopMs} ms with its batch recorded, ` +
        `0 rows left leased; the restarted process sent the other ${s.contacts.length - atExit}, 0 duplicates`,
    );
  });
});
