import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../support/test-database';
import { Api, declareWithImpact, seed } from './support/api';
import { ledgerCounts, query, timeline } from './support/db';
import { FAULT_ADMIN_TOKEN, Instance, killAll } from './support/instances';
import { FaultRelay } from './support/relay';
import { FULL, sleep, waitFor } from './support/wait';

/**
 * The relay is down for "45 minutes", past the "30-minute" deadline (scaled: one minute lasts
 * SECONDS_PER_MINUTE seconds). Two instances share the cluster-wide relay rate. Nothing is lost
 * or failed, the commander's breach is raised during the outage, and when the relay is back
 * the backlog drains at RELAY_RATE_PER_SECOND: first notices before other kinds, in order per
 * contact, and updates superseded during the outage never sent.
 */
const SECONDS_PER_MINUTE = FULL ? 1 : 0.3;
const scaled = (minutes: number) => String((minutes * SECONDS_PER_MINUTE) / 60);
const OUTAGE_MS = 45 * SECONDS_PER_MINUTE * 1000;
const RATE = 200;

describe('relay down past the notice deadline, then a rate-limited backlog', () => {
  const relay = new FaultRelay();
  let database: { url: string; drop(): Promise<void> };
  let root: string;
  const instances: Instance[] = [];

  beforeAll(async () => {
    await relay.start();
    database = await createTestDatabase();
    root = await mkdtemp(join(tmpdir(), 'tocsin-faults-backlog-'));
    await chmod(root, 0o755);
  });
  afterAll(async () => {
    await killAll(instances);
    await relay.stop();
    await database?.drop().catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('loses nothing, raises the breach while down, and drains by priority, order and rate', async () => {
    for (const name of ['all-1', 'all-2']) {
      const instance = await Instance.create(name, {
        DATABASE_URL: database.url,
        SMTP_URL: relay.url,
        TOCSIN_DATA_DIR: join(root, name),
        NOTICE_TARGET_MINUTES: scaled(20),
        NOTICE_AUTOSEND_MINUTES: scaled(25),
        NOTICE_DEADLINE_MINUTES: scaled(30),
        // No holding updates during the test: the updates here are written by hand.
        UPDATE_CADENCE_MINUTES: 'S1=600,S2=600,S3=600,S4=0',
        RELAY_RATE_PER_SECOND: String(RATE),
      });
      instances.push(instance);
      await instance.start().healthy();
    }
    const admin = new Api(instances[0].base, FAULT_ADMIN_TOKEN);
    const older = await seed(admin, 2, 100, 'older');
    const newer = await seed(admin, 4, 100, 'newer');

    // An incident notified before the outage: its updates during the outage supersede each other.
    const a = await declareWithImpact(older, 'Payment API errors for card payments');
    await older.commander.ok('POST', `/api/v1/incidents/${a.id}/notifications/${a.initialId}/approve`);
    await waitFor('the first incident notified', () => relay.uniqueCount() >= older.contacts.length, 30_000);
    const beforeOutage = relay.received.length;

    await relay.stop();
    const downAt = Date.now();
    const b = await declareWithImpact(newer, 'Partner SFTP refuses logins');
    await newer.commander.ok('POST', `/api/v1/incidents/${b.id}/notifications/${b.initialId}/approve`);
    await newer.commander.ok('POST', `/api/v1/incidents/${b.id}/updates`, {
      actions: 'We are rotating the host keys.',
    });
    const aUpdates: string[] = [];
    for (const step of ['Failover started.', 'Failover half done.', 'Failover complete, monitoring.']) {
      aUpdates.push(
        (await older.commander.ok('POST', `/api/v1/incidents/${a.id}/updates`, { actions: step })).id,
      );
      await sleep(500);
    }

    const missed = await waitFor(
      'the deadline breach on the timeline',
      async () => (await timeline(database.url, b.id)).find((e) => e.type === 'notification.deadline_missed'),
      // The relay stays down until they are seen (a loaded machine may tick late).
      OUTAGE_MS + 15_000,
      250,
    );
    expect(relay.running).toBe(false);
    const breachAfterMs = new Date(missed.at).getTime() - downAt;
    expect(missed.data.customers).toHaveLength(4);

    await sleep(Math.max(0, downAt + OUTAGE_MS - Date.now()));
    const during = await ledgerCounts(database.url, b.id);
    expect(during).toMatchObject({ accepted: 0, failed: 0 });
    await relay.start();
    const upAt = Date.now();

    const rows = await query<{
      message_id: string;
      kind: string;
      to_address: string;
      notification_id: string;
    }>(
      database.url,
      `SELECT message_id, kind, to_address, notification_id FROM deliveries
        WHERE incident_id = ANY($1::uuid[]) AND status <> 'superseded' AND accepted_at IS NULL`,
      [[a.id, b.id]],
    );
    // B: first notice and one update per contact, two alerts; A: only the last update per contact.
    expect(rows).toHaveLength(2 * newer.contacts.length + 2 + older.contacts.length);
    await waitFor(
      'the backlog at the relay',
      () => relay.received.length >= beforeOutage + rows.length,
      60_000,
      50,
    );
    await waitFor(
      'the backlog recorded',
      async () =>
        (await ledgerCounts(database.url, a.id)).open === 0 &&
        (await ledgerCounts(database.url, b.id)).open === 0,
      20_000,
      200,
    );
    await sleep(500);

    const drained = relay.received.slice(beforeOutage);
    expect(drained).toHaveLength(rows.length);
    expect(relay.duplicates()).toEqual([]);
    const byId = new Map(rows.map((r) => [r.message_id, r]));
    const kinds = drained.map((m) => byId.get(m.messageId)!.kind);
    expect(kinds.every(Boolean)).toBe(true);

    // Nothing failed; A's superseded updates never left.
    const bLedger = await ledgerCounts(database.url, b.id);
    expect(bLedger).toMatchObject({ failed: 0, open: 0 });
    const superseded = await query<{ notification_id: string; n: number }>(
      database.url,
      `SELECT notification_id, count(*)::int AS n FROM deliveries WHERE status = 'superseded' GROUP BY 1`,
    );
    expect(new Map(superseded.map((r) => [r.notification_id, r.n]))).toEqual(
      new Map([
        [aUpdates[0], older.contacts.length],
        [aUpdates[1], older.contacts.length],
      ]),
    );
    for (const m of drained)
      expect(byId.get(m.messageId)!.notification_id ?? aUpdates[2]).not.toBe(aUpdates[0]);

    // In order per contact: B's first notice before B's update.
    const seen = new Map<string, string[]>();
    for (const m of drained) seen.set(m.to, [...(seen.get(m.to) ?? []), byId.get(m.messageId)!.kind]);
    for (const contact of newer.contacts) expect(seen.get(contact)).toEqual(['initial', 'update']);
    for (const contact of older.contacts) expect(seen.get(contact)).toEqual(['update']);

    // Priority: first notices go before every other kind. Only sends already in flight when the
    // relay came back (at most 4 × SMTP_POOL_SIZE per instance) may come before.
    const lastInitial = kinds.lastIndexOf('initial');
    const othersBefore = kinds.slice(0, lastInitial).filter((k) => k !== 'initial').length;
    expect(othersBefore).toBeLessThanOrEqual(instances.length * 4 * 5);

    // Rate: the whole backlog through the cluster-wide limit (one second's burst allowed).
    const span = (drained[drained.length - 1].at - drained[0].at) / 1000;
    const measured = drained.length / span;
    expect(span).toBeGreaterThanOrEqual((drained.length - RATE) / RATE);
    expect(measured).toBeGreaterThan(RATE * 0.5);

    const sla = await newer.commander.ok('GET', `/api/v1/incidents/${b.id}/sla`);
    expect(sla.summary).toMatchObject({ late: 4, pending: 0, failed: 0 });
    console.log(
      `relay down ${(OUTAGE_MS / 1000).toFixed(0)} s ("45 min"): breach raised ${(breachAfterMs / 1000).toFixed(1)} s in ` +
        `("30-min" deadline = ${(30 * SECONDS_PER_MINUTE).toFixed(0)} s); backlog of ${drained.length} drained in ${span.toFixed(1)} s ` +
        `= ${measured.toFixed(0)} msg/s (RELAY_RATE_PER_SECOND=${RATE}), first mail ${drained[0].at - upAt} ms after the relay came back; ` +
        `${othersBefore} non-first-notice mail(s) before the last first notice; 2 superseded updates × ${older.contacts.length} never sent`,
    );
  });
});
