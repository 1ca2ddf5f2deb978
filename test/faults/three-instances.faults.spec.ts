import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../support/test-database';
import { Api, declareWithImpact, Scenario, seed } from './support/api';
import { ledgerCounts, query } from './support/db';
import { FAULT_ADMIN_TOKEN, Instance, killAll } from './support/instances';
import { FaultRelay } from './support/relay';
import { FULL, sleep, waitFor } from './support/wait';

/**
 * Three instances (TOCSIN_ROLE=all) on one PostgreSQL; one is SIGKILLed in the middle of work.
 * The ledger's leases hand the dead instance's rows to the others: every contact is told, and
 * only mails in flight at the kill are sent twice (same Message-ID, counted and printed).
 */
const CUSTOMERS = 50;
const PER_CUSTOMER = 100;
const CADENCE_SECONDS = 5;
const CADENCE_PERIODS = FULL ? 8 : 3;

describe('three instances, one SIGKILLed', () => {
  const relay = new FaultRelay();
  let database: { url: string; drop(): Promise<void> };
  let root: string;
  const instances: Instance[] = [];
  let admin: Api;
  let s: Scenario;

  beforeAll(async () => {
    await relay.start();
    database = await createTestDatabase();
    root = await mkdtemp(join(tmpdir(), 'tocsin-faults-three-'));
    await chmod(root, 0o755);
    for (const name of ['all-1', 'all-2', 'all-3']) {
      instances.push(
        await Instance.create(name, {
          DATABASE_URL: database.url,
          SMTP_URL: relay.url,
          TOCSIN_DATA_DIR: join(root, name),
          TOCSIN_ROLE: 'all',
          // S2 incidents get a status update every 6 s (the cadence test); S1 keeps 30 minutes.
          UPDATE_CADENCE_MINUTES: `S1=30,S2=${CADENCE_SECONDS / 60},S3=240,S4=0`,
        }),
      );
    }
    // Sequential starts: the first one runs the migrations, the others find them done.
    for (const instance of instances) await instance.start().healthy();
    admin = new Api(instances[1].base, FAULT_ADMIN_TOKEN);
    s = await seed(admin, CUSTOMERS, PER_CUSTOMER, 'three');
  }, 120_000);
  afterAll(async () => {
    await killAll(instances);
    await relay.stop();
    await database?.drop().catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('delivers a 5,000-contact first notice to everyone when one instance is killed mid fan-out', async () => {
    const incident = await declareWithImpact(s, 'Order API times out for every customer');
    const approvedAt = Date.now();
    await s.commander.ok(
      'POST',
      `/api/v1/incidents/${incident.id}/notifications/${incident.initialId}/approve`,
    );
    const killAfter = Math.round(s.contacts.length * 0.3);
    await waitFor('30% of the fan-out at the relay', () => relay.received.length >= killAfter, 60_000, 20);
    const victim = instances[0];
    const claimed = await query<{ n: number }>(
      database.url,
      `SELECT count(*)::int AS n FROM deliveries WHERE incident_id = $1 AND status = 'sending' AND locked_by LIKE $2`,
      [incident.id, `%:${victim.pid}:%`],
    );
    await victim.kill();
    const killedAt = Date.now();
    const atKill = relay.received.length;

    await waitFor('every contact at the relay', () => relay.uniqueCount() >= s.contacts.length, 90_000, 100);
    await waitFor(
      'every delivery recorded as accepted',
      async () => (await ledgerCounts(database.url, incident.id)).open === 0,
      30_000,
      200,
    );
    const doneAt = Date.now();
    await sleep(1_000);

    const counts = relay.counts();
    expect(counts.size).toBe(s.contacts.length);
    const recipients = new Set(relay.received.map((r) => r.to));
    for (const contact of s.contacts) expect(recipients.has(contact)).toBe(true);
    const ledger = await ledgerCounts(database.url, incident.id);
    expect(ledger).toEqual({ total: s.contacts.length, accepted: s.contacts.length, failed: 0, open: 0 });

    // A second copy only for a row the dead instance held (claimed again after its lease), same Message-ID.
    const duplicates = relay.duplicates();
    const rows = await query<{ message_id: string; attempts: number }>(
      database.url,
      `SELECT message_id, attempts FROM deliveries WHERE incident_id = $1 AND attempts > 1`,
      [incident.id],
    );
    const reclaimed = new Set(rows.map((r) => r.message_id));
    for (const [messageId, n] of duplicates) {
      expect(n).toBe(2);
      expect(reclaimed.has(messageId)).toBe(true);
    }
    expect(duplicates.length).toBeLessThanOrEqual(claimed[0].n);

    // The SLA report agrees with the relay: every customer notified, every contact accepted.
    const sla = await s.commander.ok('GET', `/api/v1/incidents/${incident.id}/sla`);
    expect(sla.customers).toHaveLength(CUSTOMERS);
    const contacts = sla.customers.flatMap(
      (c: { contacts: { email: string; status: string }[] }) => c.contacts,
    );
    expect(contacts).toHaveLength(s.contacts.length);
    expect(contacts.every((c: { status: string }) => c.status === 'accepted')).toBe(true);
    expect(new Set(contacts.map((c: { email: string }) => c.email))).toEqual(recipients);
    expect(sla.summary.before_target).toBe(CUSTOMERS);

    console.log(
      `SIGKILL of 1 of 3 instances at ${atKill}/${s.contacts.length} mails (${claimed[0].n} rows leased by it): ` +
        `all ${s.contacts.length} delivered ${((doneAt - approvedAt) / 1000).toFixed(1)} s after approval ` +
        `(${((doneAt - killedAt) / 1000).toFixed(1)} s after the kill), ${duplicates.length} duplicate(s), same Message-ID`,
    );
  });

  it('sends exactly one status update per cadence period while one of three instances is killed', async () => {
    // The killed instance comes back; another one dies in the middle of a period.
    await instances[0].start().healthy();
    const few = await seed(admin, 2, 5, 'cadence');
    const incident = await few.commander.ok('POST', '/api/v1/incidents', {
      title: 'Invoice portal slow for some customers',
      kind: 'service_disruption',
      severity: 2,
      serviceIds: [few.serviceId],
    });
    await few.commander.ok('POST', `/api/v1/incidents/${incident.id}/impact`);
    const {
      items: [initial],
    } = await few.commander.ok('GET', `/api/v1/incidents/${incident.id}/notifications`);
    await few.commander.ok('POST', `/api/v1/incidents/${incident.id}/notifications/${initial.id}/approve`);
    const started = Date.now();

    await sleep(CADENCE_SECONDS * 1000 * 1.5);
    await instances[2].kill();
    const holdings = async () =>
      query<{ id: string; approved_at: Date }>(
        database.url,
        `SELECT id, approved_at FROM notifications WHERE incident_id = $1 AND kind = 'holding' ORDER BY approved_at`,
        [incident.id],
      );
    await waitFor(
      `${CADENCE_PERIODS} holding updates`,
      async () => (await holdings()).length >= CADENCE_PERIODS,
      CADENCE_SECONDS * 1000 * (CADENCE_PERIODS + 3),
      250,
    );
    // Resolving stops the cadence; the holding updates already sent are what is checked.
    await few.commander.ok('POST', `/api/v1/incidents/${incident.id}/resolve`, {
      summary: 'Caches warmed up again',
    });
    const elapsed = Date.now() - started;
    const sent = await holdings();
    const [{ approved_at: initialAt }] = await query<{ approved_at: Date }>(
      database.url,
      `SELECT approved_at FROM notifications WHERE id = $1`,
      [initial.id],
    );
    // One per period: each comes one cadence (plus at most a tick or two) after the one before.
    const times = [new Date(initialAt).getTime(), ...sent.map((h) => new Date(h.approved_at).getTime())];
    const gaps = times.slice(1).map((at, i) => at - times[i]);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(CADENCE_SECONDS * 1000);
      expect(gap).toBeLessThan(CADENCE_SECONDS * 1000 + 2_000);
    }
    expect(sent.length).toBeLessThanOrEqual(Math.floor(elapsed / (CADENCE_SECONDS * 1000)));
    await waitFor(
      'the holding updates at the relay',
      async () => (await ledgerCounts(database.url, incident.id, ['holding'])).open === 0,
      30_000,
      200,
    );
    // Each holding update reached each contact once; one still pending at the resolution is superseded.
    const rows = await query<{ notification_id: string; message_id: string; status: string }>(
      database.url,
      `SELECT notification_id, message_id, status FROM deliveries WHERE incident_id = $1 AND kind = 'holding'`,
      [incident.id],
    );
    expect(new Set(rows.map((r) => r.notification_id))).toEqual(new Set(sent.map((h) => h.id)));
    expect(rows).toHaveLength(sent.length * few.contacts.length);
    const counts = relay.counts();
    for (const row of rows) {
      expect(['accepted', 'superseded']).toContain(row.status);
      expect(counts.get(row.message_id) ?? 0).toBe(row.status === 'accepted' ? 1 : 0);
    }
    console.log(
      `cadence ${CADENCE_SECONDS} s on 3 instances, one killed mid-period: ${sent.length} holding updates in ` +
        `${(elapsed / 1000).toFixed(1)} s, gaps ${gaps.map((g) => (g / 1000).toFixed(2)).join(', ')} s`,
    );
  });
});
