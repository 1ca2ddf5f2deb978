import { Client } from 'pg';
import { firstValueFrom, Subscription, take, toArray } from 'rxjs';
import { ChangeListener } from '../../src/live/change-listener';
import { Change, notifyChange } from '../../src/live/notify-change';
import { notifySessionEnd } from '../../src/live/notify-session';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The LISTEN side on its own: notifications from any connection arrive, bursts for one incident
 * are debounced into one, ended sessions arrive on the same connection, and a killed listener
 * connection comes back (with a "resync" and a session re-check).
 */
describe('change listener (LISTEN/NOTIFY)', () => {
  let t: TestApp;
  let listener: ChangeListener;
  let other: Client;
  const received: Change[] = [];
  let subscription: Subscription;
  const incidentA = '00000000-0000-4000-8000-00000000000a';
  const incidentB = '00000000-0000-4000-8000-00000000000b';

  beforeAll(async () => {
    t = await startTestApp();
    listener = t.app.get(ChangeListener);
    subscription = listener.changes().subscribe((change) => received.push(change));
    await listener.listening();
    other = new Client({ connectionString: t.databaseUrl });
    await other.connect();
  });
  afterAll(async () => {
    subscription?.unsubscribe();
    await other?.end();
    await t?.close();
  });

  const until = async (check: () => boolean, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('delivers changes from another connection, one per incident for a burst', async () => {
    received.length = 0;
    // Five distinct notifications in one statement: they arrive together, well inside the debounce.
    await other.query(
      `SELECT pg_notify('tocsin_changes', json_build_object('incidentId', $1::text, 'kind', 'burst.' || n)::text)
         FROM generate_series(0, 4) AS n`,
      [incidentA],
    );
    await notifyChange(t.db, { incidentId: incidentB, kind: 'single' });
    await until(() => received.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(received).toHaveLength(2);
    expect(received).toEqual(
      expect.arrayContaining([
        { incidentId: incidentA, kind: 'burst.4' },
        { incidentId: incidentB, kind: 'single' },
      ]),
    );
  });

  it('passes ended sessions on undebounced, and a payload it does not understand as a re-check', async () => {
    const signals = firstValueFrom(listener.sessionSignals().pipe(take(3), toArray()));
    await notifySessionEnd(t.db, { tokenId: incidentA });
    await other.query(`SELECT pg_notify('tocsin_sessions', $1)`, [
      JSON.stringify({ staffMemberId: incidentB }),
    ]);
    await other.query(`SELECT pg_notify('tocsin_sessions', 'not json')`);
    expect(await signals).toEqual([{ tokenId: incidentA }, { staffMemberId: incidentB }, { recheck: true }]);
  });

  it('reconnects after its connection is killed and asks views to refresh everything', async () => {
    received.length = 0;
    const next = firstValueFrom(listener.changes().pipe(take(2), toArray()));
    const recheck = firstValueFrom(listener.sessionSignals());
    const killed = await other.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'tocsin-listener' AND datname = current_database()`,
    );
    expect(killed.rowCount).toBe(1);
    await until(() => received.some((c) => c.kind === 'listener.reconnected'));
    expect(listener.connected).toBe(true);
    // Revocations sent while it was away are gone too: open board streams re-check their tokens.
    expect(await recheck).toEqual({ recheck: true });
    await other.query(`SELECT pg_notify('tocsin_changes', $1)`, [
      JSON.stringify({ incidentId: incidentA, kind: 'after.reconnect' }),
    ]);
    expect(await next).toEqual([
      { incidentId: null, kind: 'listener.reconnected' },
      { incidentId: incidentA, kind: 'after.reconnect' },
    ]);
  });
});
