import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { EscalationTicks } from '../../src/escalation/escalation-ticks';
import { declareIncident, staffWithToken } from '../support/fixtures';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

/** The escalation chain on real PostgreSQL and a real SMTP server, driven by the fake clock. */
describe('escalation chain', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;
  let ticks: EscalationTicks;
  let commander: { auth: string; staffId: string };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: sink.url } });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
    ticks = t.app.get(EscalationTicks);
    commander = await staffWithToken(t, ['commander']);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const escalations = async (id: string) =>
    (await t.http.get(`/api/v1/incidents/${id}/escalations`).set('Authorization', commander.auth).expect(200))
      .body.items as {
      level: number;
      reason: string;
      late: boolean;
      levelTitle: string;
    }[];

  it('serves the default chain of annex A and refuses a chain with a gap, changing nothing', async () => {
    const chain = await t.http
      .get('/api/v1/escalation-chain')
      .set('Authorization', commander.auth)
      .expect(200);
    expect(chain.body.map((l: { title: string }) => l.title)).toEqual([
      'Customer support desk',
      'Support supervisor',
      'Senior support manager',
      'Support director',
      'Senior support director',
    ]);
    const gap = await t.http
      .put('/api/v1/escalation-chain')
      .set('Authorization', t.admin)
      .send({
        levels: [
          { level: 1, title: 'Customer support desk', name: 'Desk', email: 'desk@example.com' },
          { level: 3, title: 'Support director', name: 'Director', email: 'director@example.com' },
        ],
      })
      .expect(400);
    expect(gap.body.details[0]).toMatchObject({ field: 'levels[1].level', rule: 'contiguous' });
    await t.http
      .put('/api/v1/escalation-chain')
      .set('Authorization', commander.auth)
      .send({ levels: [] })
      .expect(403);
    const after = await t.http
      .get('/api/v1/escalation-chain')
      .set('Authorization', commander.auth)
      .expect(200);
    expect(after.body).toEqual(chain.body);
  });

  it('escalates one level when the response target passes, once per level, climbing per interval', async () => {
    sink.received.length = 0;
    const incident = await declareIncident(t, commander.auth, { title: 'Fax gateway down', severity: 1 });
    t.clock.advanceMinutes(29);
    expect(await ticks.runDue()).toBe(0);

    t.clock.advanceMinutes(1);
    expect(await ticks.runDue()).toBe(1);
    expect(await ticks.runDue()).toBe(0);
    await worker.drain();
    const [first] = sink.to('support-desk@example.com');
    expect(first.parsed.subject).toBe(
      `[${incident.reference}] Escalation to level 1 (Customer support desk): response target missed without a first response`,
    );

    // Two instances ticking at once raise the next level once.
    t.clock.advanceMinutes(30);
    const second = await startTestApp({
      databaseUrl: t.databaseUrl,
      clock: t.clock,
      env: { SMTP_URL: sink.url },
    });
    try {
      const both = await Promise.all([ticks.runDue(), second.app.get(EscalationTicks).runDue()]);
      expect(both[0] + both[1]).toBe(1);
    } finally {
      await second.close();
    }
    await worker.drain();
    expect(sink.to('support-supervisor@example.com')).toHaveLength(1);
    expect((await escalations(incident.id)).map((e) => [e.level, e.reason])).toEqual([
      [1, 'response_target_missed'],
      [2, 'response_target_missed'],
    ]);
  });

  it('a severity raised mid-incident recomputes the targets, and the escalation follows them', async () => {
    const incident = await declareIncident(t, commander.auth, {
      title: 'Notification API errors',
      severity: 3,
    });
    t.clock.advanceMinutes(45);
    await ticks.runDue();
    expect(await escalations(incident.id)).toEqual([]); // S3: response due at +2 h
    await t.http
      .patch(`/api/v1/incidents/${incident.id}`)
      .set('Authorization', commander.auth)
      .send({ severity: 1 })
      .expect(200);
    await ticks.runDue(); // S1: response was due at +30 min
    expect((await escalations(incident.id)).map((e) => [e.level, e.reason])).toEqual([
      [1, 'response_target_missed'],
    ]);
  });

  it('a tick missed for hours escalates once, late, and never skips a level', async () => {
    const incident = await declareIncident(t, commander.auth, { title: 'SFTP slow', severity: 2 });
    t.clock.advanceMinutes(10 * 60);
    await ticks.runDue();
    const raised = await escalations(incident.id);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ level: 1, late: true });
    const timeline = await t.http
      .get(`/api/v1/incidents/${incident.id}/timeline?limit=200`)
      .set('Authorization', commander.auth);
    const escalated = timeline.body.items.filter((e: { type: string }) => e.type === 'incident.escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0].data).toMatchObject({ level: 1, late: true, title: 'Customer support desk' });
  });

  it('an acknowledged incident does not escalate for its response; resolution at risk does', async () => {
    const incident = await declareIncident(t, commander.auth, { title: 'Portal login errors', severity: 1 });
    t.clock.advanceMinutes(5);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/acknowledge`)
      .set('Authorization', commander.auth)
      .expect(200);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/acknowledge`)
      .set('Authorization', commander.auth)
      .expect(409);
    t.clock.advanceMinutes(60);
    await ticks.runDue();
    expect(await escalations(incident.id)).toHaveLength(0);
    t.clock.advanceMinutes(25); // 90 min = 75 % of the 2-hour resolution target
    await ticks.runDue();
    expect((await escalations(incident.id)).map((e) => e.reason)).toEqual(['resolution_at_risk']);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/resolve`)
      .set('Authorization', commander.auth)
      .send({ summary: 'Session store restarted' })
      .expect(200);
    t.clock.advanceMinutes(120);
    await ticks.runDue();
    expect(await escalations(incident.id)).toHaveLength(1);
  });

  it('anyone may escalate by hand, support on a customer’s behalf, up to the top of the chain', async () => {
    const support = await staffWithToken(t, ['support']);
    const incident = await declareIncident(t, commander.auth, { title: 'E-mail relay bounces', severity: 3 });
    const res = await t.http
      .post(`/api/v1/incidents/${incident.id}/escalations`)
      .set('Authorization', support.auth)
      .send({ reason: 'Month-end invoices blocked', onBehalfOfCustomer: 'Example Retail Ltd' })
      .expect(201);
    expect(res.body).toMatchObject({
      level: 1,
      reason: 'customer',
      note: 'On behalf of Example Retail Ltd: Month-end invoices blocked',
    });
    for (let level = 2; level <= 5; level++) {
      await t.http
        .post(`/api/v1/incidents/${incident.id}/escalations`)
        .set('Authorization', commander.auth)
        .send({ reason: 'Still blocked' })
        .expect(201);
    }
    const top = await t.http
      .post(`/api/v1/incidents/${incident.id}/escalations`)
      .set('Authorization', commander.auth)
      .send({ reason: 'Still blocked' })
      .expect(409);
    expect(top.body.code).toBe('escalation.top_reached');
    await t.http
      .post(`/api/v1/incidents/${incident.id}/escalations`)
      .set('Authorization', commander.auth)
      .send({})
      .expect(400);
    expect((await escalations(incident.id)).map((e) => e.level)).toEqual([1, 2, 3, 4, 5]);
    const got = await t.http
      .get(`/api/v1/incidents/${incident.id}`)
      .set('Authorization', commander.auth)
      .expect(200);
    expect(got.body.escalationLevel).toBe(5);
  });

  it('escalates a support request like an incident: response missed, then by hand; a reply stops the response climb', async () => {
    sink.received.length = 0;
    const support = await staffWithToken(t, ['support']);
    const created = await t.http
      .post('/api/v1/support-requests')
      .set('Authorization', support.auth)
      .send({
        company: 'Example Components Ltd',
        contactName: 'Integration lead',
        contactEmail: 'integration@components.example.com',
        submissionMethod: 'phone',
        severity: 1,
        description: 'SFTP uploads fail with permission denied since this morning.',
      })
      .expect(201);
    const ref = created.body.reference as string;
    const requestEscalations = async () =>
      (
        await t.http
          .get(`/api/v1/support-requests/${ref}/escalations`)
          .set('Authorization', support.auth)
          .expect(200)
      ).body.items as { level: number; reason: string }[];

    t.clock.advanceMinutes(31);
    await ticks.runDue();
    await ticks.runDue();
    await worker.drain();
    expect((await requestEscalations()).map((e) => [e.level, e.reason])).toEqual([
      [1, 'response_target_missed'],
    ]);
    const mail = sink.to('support-desk@example.com').find((m) => m.parsed.subject?.includes(ref));
    expect(mail?.parsed.subject).toBe(
      `[${ref}] Escalation to level 1 (Customer support desk): response target missed without a first response`,
    );
    expect(mail?.parsed.text).toContain(`Support request ${ref} is escalated to you`);

    await t.http
      .post(`/api/v1/support-requests/${ref}/escalations`)
      .set('Authorization', support.auth)
      .send({ reason: 'Customer called again', onBehalfOfCustomer: 'Example Components Ltd' })
      .expect(201);
    await t.http
      .post(`/api/v1/support-requests/${ref}/triage`)
      .set('Authorization', support.auth)
      .send({ severity: 1 })
      .expect(200);
    await t.http
      .post(`/api/v1/support-requests/${ref}/replies`)
      .set('Authorization', support.auth)
      .send({ body: 'We are looking at the SFTP permissions now.' })
      .expect(201);
    // Answered: the response condition is over; the resolution is not at risk before 90 minutes.
    t.clock.advanceMinutes(40);
    await ticks.runDue();
    expect((await requestEscalations()).map((e) => e.reason)).toEqual(['response_target_missed', 'customer']);
    const detail = await t.http
      .get(`/api/v1/support-requests/${ref}`)
      .set('Authorization', support.auth)
      .expect(200);
    expect(
      detail.body.events.filter((e: { type: string }) => e.type === 'support_request.escalated'),
    ).toHaveLength(2);
    await t.http
      .get('/api/v1/support-requests/SR-2026-999999/escalations')
      .set('Authorization', support.auth)
      .expect(404);
  });
});
