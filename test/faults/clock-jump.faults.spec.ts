import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { EscalationTicks } from '../../src/escalation/escalation-ticks';
import { NotificationTicks } from '../../src/notification/notification-ticks';
import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A tick missed for 10 minutes (process paused, host suspended, clock stepped): every guard,
 * holding update and escalation that fell due in the gap fires once at the next tick, late, and
 * says so. Before the gap the same ticks ran every minute and nothing was late.
 */
describe('a tick missed for 10 minutes', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let notificationTicks: NotificationTicks;
  let escalationTicks: EscalationTicks;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: sink.url } });
    t.app.get(DeliveryWorker).useRelay(sink.url);
    notificationTicks = t.app.get(NotificationTicks);
    escalationTicks = t.app.get(EscalationTicks);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const tick = async () => {
    await notificationTicks.runDue();
    await escalationTicks.runDue();
  };

  /** Per incident: timeline events of the scheduled kinds, and its escalations. */
  async function scheduled(incidentId: string) {
    const events: { type: string; late: boolean | null }[] = await t.db.query(
      `SELECT type, (data->>'late')::boolean AS late FROM incident_timeline
        WHERE incident_id = $1 AND type IN ('notification.reminder_sent', 'notification.auto_send_reason',
              'notification.deadline_at_risk', 'notification.deadline_missed', 'notification.holding_sent')
        ORDER BY id`,
      [incidentId],
    );
    const escalations: { reason: string; late: boolean }[] = await t.db.query(
      `SELECT reason, late FROM escalations WHERE incident_id = $1 ORDER BY level`,
      [incidentId],
    );
    return [
      ...events.map((e) => `${e.type}${e.late ? ' (late)' : ''}`),
      ...escalations.map((e) => `escalation.${e.reason}${e.late ? ' (late)' : ''}`),
    ];
  }

  it('fires every due guard, holding update and escalation once, late, and marks it late', async () => {
    const commander = await staffWithToken(t, ['commander']);
    const service = await createService(t);
    await t.http
      .post('/api/v1/customers')
      .set('Authorization', t.admin)
      .send({
        name: 'Example Freight SA',
        language: 'fr',
        serviceIds: [service.id],
        contacts: [{ name: 'Head of operations', email: 'ops@freight.example.net' }],
      })
      .expect(201);
    const worker = t.app.get(DeliveryWorker);
    const gapStart = new Date('2026-03-02T10:00:00Z');
    const at = (minutes: number) => new Date(gapStart.getTime() + minutes * 60_000);
    const initialOf = async (id: string) =>
      (await t.http.get(`/api/v1/incidents/${id}/notifications`).set('Authorization', commander.auth)).body
        .items[0].id as string;
    const declare = async (title: string, impact: boolean) => {
      const incident = await declareIncident(t, commander.auth, {
        title,
        severity: 1,
        serviceIds: [service.id],
      });
      if (impact)
        await t.http
          .post(`/api/v1/incidents/${incident.id}/impact`)
          .set('Authorization', commander.auth)
          .expect(200);
      return incident;
    };
    const approve = async (id: string) =>
      t.http
        .post(`/api/v1/incidents/${id}/notifications/${await initialOf(id)}/approve`)
        .set('Authorization', commander.auth)
        .expect(200);

    let delivered!: { id: string };
    let undelivered!: { id: string };
    let draft!: { id: string };
    let noImpact!: { id: string };
    // Regular ticks, once a minute, for the 25 minutes before the gap.
    for (let minute = -25; minute <= 0; minute++) {
      t.clock.set(at(minute));
      if (minute === -25) {
        // Notified at once: its next update (30-minute S1 cadence) falls due in the gap.
        delivered = await declare('Delivered notice, update due in the gap', true);
        await approve(delivered.id);
        await worker.drain();
        // No impact, no first response: the 30-minute response target passes in the gap.
        noImpact = await declare('No first response, escalates in the gap', false);
      }
      if (minute === -22) {
        // Approved but never accepted by the relay: at risk before the gap; deadline missed and
        // update due (+30) in it.
        undelivered = await declare('Approved notice the relay never accepted', true);
        await approve(undelivered.id);
      }
      // Still a draft: notice target (+20) and auto-send (+25) both pass in the gap.
      if (minute === -17) draft = await declare('Draft notice, guards due in the gap', true);
      await tick();
    }
    expect(await scheduled(delivered.id)).toEqual([]);
    expect(await scheduled(noImpact.id)).toEqual([]);
    expect(await scheduled(undelivered.id)).toEqual(['notification.deadline_at_risk']);
    expect(await scheduled(draft.id)).toEqual([]);

    // The gap: no tick for 10 minutes, then several instances' ticks at once.
    t.clock.set(at(10));
    await tick();
    await tick();
    await tick();

    expect(await scheduled(delivered.id)).toEqual(['notification.holding_sent (late)']);
    expect(await scheduled(noImpact.id)).toEqual(['escalation.response_target_missed (late)']);
    expect(await scheduled(undelivered.id)).toEqual([
      'notification.deadline_at_risk',
      'notification.deadline_missed (late)',
      'notification.holding_sent (late)',
      'escalation.response_target_missed (late)',
    ]);
    expect(await scheduled(draft.id)).toEqual([
      'notification.reminder_sent (late)',
      'notification.auto_send_reason (late)',
    ]);
    // One holding update and one auto-sent first notice, not one per missed minute.
    const notices: { title: string; kind: string; auto: boolean }[] = await t.db.query(
      `SELECT i.title, n.kind, n.auto_approved AS auto FROM notifications n JOIN incidents i ON i.id = n.incident_id
        WHERE n.status = 'approved' ORDER BY i.title, n.sequence`,
    );
    expect(notices).toEqual([
      { title: 'Approved notice the relay never accepted', kind: 'initial', auto: false },
      { title: 'Approved notice the relay never accepted', kind: 'holding', auto: true },
      { title: 'Delivered notice, update due in the gap', kind: 'initial', auto: false },
      { title: 'Delivered notice, update due in the gap', kind: 'holding', auto: true },
      { title: 'Draft notice, guards due in the gap', kind: 'initial', auto: true },
    ]);
  });
});
