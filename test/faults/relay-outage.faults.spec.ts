import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../support/test-database';
import { Api, declareWithImpact, seed } from './support/api';
import { ledgerCounts, timeline } from './support/db';
import { FAULT_ADMIN_TOKEN, Instance, killAll } from './support/instances';
import { FaultRelay } from './support/relay';
import { FULL, sleep, waitFor } from './support/wait';

/**
 * The relay refuses connections while a first notice fans out, then comes back on the same
 * port: every contact gets the notice exactly once (counted by Message-ID at the relay), nothing
 * is failed, and the commander is told the deadline is at risk, then missed, while it is down.
 * Windows are scaled (fractional minutes): the "30-minute" deadline passes during the outage.
 */
const OUTAGE_MS = FULL ? 60_000 : 12_000;
const CUSTOMERS = FULL ? 20 : 4;
const PER_CUSTOMER = FULL ? 100 : 50;
// Target at 1/3 of the outage, deadline at 2/3: both pass while the relay is down.
const TARGET_MIN = OUTAGE_MS / 3 / 60_000;
const DEADLINE_MIN = (2 * OUTAGE_MS) / 3 / 60_000;

describe('relay refuses connections, then comes back', () => {
  const relay = new FaultRelay();
  let database: { url: string; drop(): Promise<void> };
  let root: string;
  let instance: Instance | undefined;

  beforeAll(async () => {
    await relay.start();
    database = await createTestDatabase();
    root = await mkdtemp(join(tmpdir(), 'tocsin-faults-relay-'));
    await chmod(root, 0o755);
  });
  afterAll(async () => {
    await killAll([instance]);
    await relay.stop();
    await database?.drop().catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('delivers everything once after the outage and raises the deadline alerts while it lasts', async () => {
    instance = await Instance.create('all-1', {
      DATABASE_URL: database.url,
      SMTP_URL: relay.url,
      TOCSIN_DATA_DIR: join(root, 'var'),
      NOTICE_TARGET_MINUTES: String(TARGET_MIN),
      NOTICE_AUTOSEND_MINUTES: String(TARGET_MIN),
      NOTICE_DEADLINE_MINUTES: String(DEADLINE_MIN),
    });
    await instance.start().healthy();
    const admin = new Api(instance.base, FAULT_ADMIN_TOKEN);
    const s = await seed(admin, CUSTOMERS, PER_CUSTOMER, 'outage');
    expect(s.contacts).toHaveLength(CUSTOMERS * PER_CUSTOMER);

    await relay.stop();
    const downAt = Date.now();
    const incident = await declareWithImpact(s, 'EDI gateway rejects inbound messages');
    await s.commander.ok(
      'POST',
      `/api/v1/incidents/${incident.id}/notifications/${incident.initialId}/approve`,
    );

    // While the relay is down: rows retry (never fail), and both alerts are raised on time.
    const events = await waitFor(
      'deadline at-risk and missed alerts on the timeline',
      async () => {
        const all = await timeline(database.url, incident.id);
        const risk = all.find((e) => e.type === 'notification.deadline_at_risk');
        const missed = all.find((e) => e.type === 'notification.deadline_missed');
        return risk && missed ? { risk, missed } : undefined;
      },
      // The relay stays down until they are seen (a loaded machine may tick late).
      OUTAGE_MS + 15_000,
      250,
    );
    const raisedAt = Date.now();
    expect(relay.running).toBe(false);
    expect(events.risk.data.customers).toHaveLength(CUSTOMERS);
    expect(events.missed.data.customers).toHaveLength(CUSTOMERS);
    const during = await ledgerCounts(database.url, incident.id);
    expect(during.accepted).toBe(0);
    expect(during.failed).toBe(0);
    expect(relay.received).toHaveLength(0);

    await sleep(Math.max(0, downAt + OUTAGE_MS - Date.now()));
    await relay.start();
    const upAt = Date.now();
    // Every contact's notice plus the commander's two alerts.
    const expected = s.contacts.length + 2;
    await waitFor('every mail at the relay', () => relay.uniqueCount() >= expected, 60_000, 100);
    const drainedMs = Date.now() - upAt;
    await waitFor(
      'the ledger to record every acceptance',
      async () => (await ledgerCounts(database.url, incident.id)).open === 0,
      20_000,
      200,
    );
    // A late straggler would show up now.
    await sleep(1_000);

    const after = await ledgerCounts(database.url, incident.id);
    expect(after).toEqual({ total: expected, accepted: expected, failed: 0, open: 0 });
    expect(relay.duplicates()).toEqual([]);
    const recipients = new Set(relay.received.map((r) => r.to));
    for (const contact of s.contacts) expect(recipients.has(contact)).toBe(true);
    const alerts = relay.received.filter((r) => r.to === s.commanderEmail).map((r) => r.subject);
    expect(alerts).toHaveLength(2);

    const sla = await s.commander.ok('GET', `/api/v1/incidents/${incident.id}/sla`);
    expect(sla.summary).toMatchObject({ late: CUSTOMERS, pending: 0, failed: 0 });

    console.log(
      `relay outage ${Math.round((upAt - downAt) / 1000)} s: alerts raised ${Math.round((raisedAt - downAt) / 1000)} s in, ` +
        `${expected} mails drained ${drainedMs} ms after the relay came back, 0 duplicates, 0 failed`,
    );
  });
});
