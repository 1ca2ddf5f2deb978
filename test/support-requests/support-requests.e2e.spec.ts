import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { countRows, expectError, expectViolation } from '../support/api-assertions';
import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REFERENCE = /^SR-(\d{4})-(\d{6})$/;

/**
 * Support requests end to end on real PostgreSQL and a real SMTP server: intake with a
 * reference and a confirmation mail, defaults by submission method, triage, replies mailed to
 * the requester, the lifecycle, links to incidents and declaring one from several requests.
 */
describe('support requests', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;
  let support: { auth: string; staffId: string; name: string };
  let commander: { auth: string; staffId: string };
  let investigator: { auth: string };
  let transports: { id: string };
  let retail: { id: string };

  const FR_CONTACT = 'exploitation@transports.example.com';
  const EN_CONTACT = 'it-ops@retail.example.com';

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: sink.url, MAIL_FROM: 'Support desk <support@tocsin.example.com>' },
    });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
    support = await staffWithToken(t, ['support'], 'support-specialist');
    commander = await staffWithToken(t, ['commander'], 'incident-commander');
    investigator = await staffWithToken(t, ['investigator'], 'investigation-engineer');
    const as2 = await createService(t, 'as2-gateway', 'AS2 gateway');
    transports = await customer('Transports Exemple SA', 'fr', FR_CONTACT, [as2.id]);
    retail = await customer('Example Retail Ltd', 'en', EN_CONTACT, []);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });
  beforeEach(async () => {
    // Each test reads only its own mail.
    await worker.drain();
    sink.received.length = 0;
  });

  async function customer(name: string, language: string, email: string, serviceIds: string[]) {
    const res = await t.http
      .post('/api/v1/customers')
      .set('Authorization', t.admin)
      .send({ name, language, serviceIds, contacts: [{ name: 'Operations contact', email }] })
      .expect(201);
    return res.body as { id: string };
  }

  function submit(body: Record<string, unknown>, auth = support.auth) {
    return t.http
      .post('/api/v1/support-requests')
      .set('Authorization', auth)
      .send({
        company: 'Example Logistics SA',
        contactName: 'EDI operations manager',
        contactEmail: 'edi-ops@logistics.example.net',
        submissionMethod: 'portal',
        description: 'Inbound AS2 messages from partner EXAMPLE-PARTNER are rejected.',
        ...body,
      });
  }

  async function created(body: Record<string, unknown>) {
    const res = await submit(body);
    if (res.status !== 201) throw new Error(`expected 201, got ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; reference: string; [key: string]: unknown };
  }

  const post = (path: string, body: object, auth = support.auth) =>
    t.http.post(`/api/v1/support-requests/${path}`).set('Authorization', auth).send(body);

  const get = (ref: string, auth = support.auth) =>
    t.http.get(`/api/v1/support-requests/${ref}`).set('Authorization', auth);

  async function storedCounts() {
    const tables = [
      'support_requests',
      'support_request_counters',
      'support_request_events',
      'support_replies',
      'mail_contents',
      'deliveries',
      'incidents',
      'impact_adjustments',
    ];
    return Object.fromEntries(await Promise.all(tables.map(async (n) => [n, await countRows(t.db, n)])));
  }

  const sequence = (reference: string) => Number(REFERENCE.exec(reference)![2]);

  it('numbers requests SR-YYYY-NNNNNN and confirms them by mail in the matched contact’s language', async () => {
    const first = await created({
      company: 'Transports Exemple SA',
      contactName: 'Responsable exploitation',
      contactEmail: FR_CONTACT.toUpperCase(),
      contactPhone: '+33 1 23 45 67 89',
      userId: 'TREX-0042',
      submissionMethod: 'email',
      jobNumbers: 'JOB-778812, TX 99120-4',
      eventAt: '2026-03-02T08:41:00Z',
      description: 'Nos messages AS2 sont rejetés depuis 08:41.',
      errorMessages: 'MDN: processed/error: authentication-failed',
    });
    const second = await created({ contactEmail: 'someone@unknown.example.net' });
    expect(first.reference).toMatch(/^SR-2026-\d{6}$/);
    expect(sequence(second.reference)).toBe(sequence(first.reference) + 1);
    expect(first).toMatchObject({
      status: 'new',
      customerId: transports.id,
      contactId: expect.any(String),
      userId: 'TREX-0042',
      jobNumbers: 'JOB-778812, TX 99120-4',
      eventAt: '2026-03-02T08:41:00.000Z',
      errorMessages: 'MDN: processed/error: authentication-failed',
      createdBy: { id: support.staffId, name: support.name },
    });
    expect(second).toMatchObject({ customerId: null, contactId: null });

    expect(await worker.drain()).toBe(2);
    // Sent to the address as the requester gave it (the relay lowercases the domain).
    const [fr] = sink.received.filter((m) => m.envelopeTo.some((to) => to.toLowerCase() === FR_CONTACT));
    expect(fr.parsed.subject).toBe(`[${first.reference}] Nous avons bien reçu votre demande de support`);
    expect(fr.parsed.text).toContain(`enregistrée sous la référence ${first.reference}`);
    expect(fr.parsed.text).toContain('Nos messages AS2 sont rejetés depuis 08:41.');
    expect(fr.parsed.text).toContain('JOB-778812, TX 99120-4');
    const [en] = sink.to('someone@unknown.example.net');
    expect(en.parsed.subject).toBe(`[${second.reference}] We have received your support request`);
    expect(en.parsed.text).toContain(`recorded under reference ${second.reference}`);
    expect(en.parsed.text).toContain('Received by: Customer portal');
    expect(en.parsed.html).toContain(second.reference);

    const rows: {
      idempotency_key: string;
      kind: string;
      recipient_type: string;
      customer_id: string | null;
    }[] = await t.db.query(
      `SELECT idempotency_key, kind, recipient_type, customer_id FROM deliveries
          WHERE idempotency_key = ANY($1) ORDER BY idempotency_key`,
      [[`sr-confirmation:${first.id}`, `sr-confirmation:${second.id}`]],
    );
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.idempotency_key === `sr-confirmation:${first.id}`)).toMatchObject({
      kind: 'confirmation',
      recipient_type: 'contact',
      customer_id: transports.id,
    });
    expect(rows.find((r) => r.idempotency_key === `sr-confirmation:${second.id}`)).toMatchObject({
      kind: 'confirmation',
      recipient_type: 'requester',
      customer_id: null,
    });

    const detail = await get(first.reference).expect(200);
    expect(detail.body.id).toBe(first.id);
    expect(detail.body.events).toEqual([
      expect.objectContaining({
        type: 'support_request.created',
        actor: { id: support.staffId, name: support.name },
        data: expect.objectContaining({ reference: first.reference, submissionMethod: 'email' }),
      }),
    ]);
    await get(first.id).expect(200);
  });

  it('starts a new year’s sequence at 000001', async () => {
    const saved = t.clock.now();
    t.clock.set('2027-01-04T08:00:00Z');
    try {
      const request = await created({});
      expect(request.reference).toBe('SR-2027-000001');
    } finally {
      t.clock.set(saved);
    }
  });

  it('gives e-mail requests the lower priority and severity 4, portal ones severity 3, with their targets', async () => {
    const now = t.clock.now().getTime();
    const email = await created({ submissionMethod: 'email' });
    expect(email).toMatchObject({ priority: 'low', severity: 4, status: 'new', firstResponseAt: null });
    expect(email.responseDueAt).toBe(new Date(now + 24 * HOUR).toISOString());
    // Monday 09:00 UTC + 3 business days.
    expect(email.resolutionDueAt).toBe('2026-03-05T09:00:00.000Z');

    const portal = await created({ submissionMethod: 'portal' });
    expect(portal).toMatchObject({ priority: 'normal', severity: 3 });
    expect(portal.responseDueAt).toBe(new Date(now + 2 * HOUR).toISOString());
    expect(portal.resolutionDueAt).toBe(new Date(now + 12 * HOUR).toISOString());

    const phone = await created({ submissionMethod: 'phone', severity: 1 });
    expect(phone).toMatchObject({ priority: 'normal', severity: 1 });
    expect(phone.responseDueAt).toBe(new Date(now + 30 * MINUTE).toISOString());
  });

  it('refuses a phone request without severity, naming the field, and stores nothing', async () => {
    const before = await storedCounts();
    const res = await submit({ submissionMethod: 'phone' }).expect(400);
    expectViolation(res, 'severity', 'required');
    expect(await storedCounts()).toEqual(before);
  });

  it('refuses bad input with every offending field named and stores nothing', async () => {
    const before = await storedCounts();
    const res = await submit({
      contactEmail: 'not-an-address',
      submissionMethod: 'fax',
      severity: 7,
      eventAt: 'yesterday-ish',
      description: '',
      priority: 'high',
    }).expect(400);
    expectViolation(res, 'contactEmail', 'isEmail');
    expectViolation(res, 'submissionMethod', 'isIn');
    expectViolation(res, 'severity', 'max');
    expectViolation(res, 'eventAt', 'isDate');
    expectViolation(res, 'description', 'isLength');
    expectViolation(res, 'priority', 'unknownField');

    const missing = await t.http
      .post('/api/v1/support-requests')
      .set('Authorization', support.auth)
      .send({ submissionMethod: 'portal' })
      .expect(400);
    for (const field of ['company', 'contactName', 'contactEmail', 'description']) {
      expectViolation(missing, field, 'required');
    }
    const future = await submit({ eventAt: '2026-03-03T09:00:00Z' }).expect(400);
    expectViolation(future, 'eventAt', 'notFuture');
    expect(await storedCounts()).toEqual(before);
  });

  it('triage validates the request and recomputes its targets from the creation time', async () => {
    const createdAt = t.clock.now().getTime();
    const request = await created({ submissionMethod: 'email' });
    t.clock.advanceMinutes(10);
    const triaged = await post(`${request.reference}/triage`, {
      severity: 1,
      assignedTeam: 'AS2 specialists',
      priority: 'normal',
      note: 'Several partners affected',
    }).expect(200);
    expect(triaged.body).toMatchObject({
      status: 'triaged',
      severity: 1,
      priority: 'normal',
      assignedTeam: 'AS2 specialists',
      responseDueAt: new Date(createdAt + 30 * MINUTE).toISOString(),
      resolutionDueAt: new Date(createdAt + 2 * HOUR).toISOString(),
      updatedAt: t.clock.now().toISOString(),
    });
    const detail = await get(request.reference).expect(200);
    expect(detail.body.events.map((e: { type: string }) => e.type)).toEqual([
      'support_request.created',
      'support_request.triaged',
    ]);
    expect(detail.body.events[1].data).toMatchObject({
      from: { status: 'new', severity: 4, priority: 'low', responseDueAt: request.responseDueAt },
      to: { status: 'triaged', severity: 1, priority: 'normal' },
      note: 'Several partners affected',
    });

    // Re-triage of an open request keeps its status.
    await post(`${request.reference}/status`, { status: 'in_progress' }).expect(200);
    const again = await post(`${request.reference}/triage`, { severity: 2 }).expect(200);
    expect(again.body).toMatchObject({
      status: 'in_progress',
      severity: 2,
      assignedTeam: 'AS2 specialists',
      responseDueAt: new Date(createdAt + HOUR).toISOString(),
    });
    const invalid = await post(`${request.reference}/triage`, { severity: 0 }).expect(400);
    expectViolation(invalid, 'severity', 'min');
  });

  it('mails each reply, threaded under the confirmation; the first one sets the first response once', async () => {
    const request = await created({ contactEmail: EN_CONTACT, submissionMethod: 'portal' });
    expectError(
      await post(`${request.reference}/replies`, { body: 'Too early' }),
      409,
      'support_request.illegal_transition',
    );
    await post(`${request.reference}/triage`, { severity: 3 }).expect(200);

    t.clock.advanceMinutes(15);
    const firstAt = t.clock.now().toISOString();
    const reply = await post(`${request.reference}/replies`, {
      body: 'The partner certificate expired.\nIt has been renewed; please resend job JOB-778812.',
    }).expect(201);
    expect(reply.body).toMatchObject({ at: firstAt, author: { id: support.staffId, name: support.name } });
    let detail = await get(request.reference).expect(200);
    expect(detail.body).toMatchObject({ status: 'answered', firstResponseAt: firstAt });

    t.clock.advanceMinutes(30);
    await post(`${request.reference}/status`, { status: 'in_progress' }).expect(200);
    await post(`${request.reference}/replies`, { body: 'Resent messages were accepted.' }).expect(201);
    detail = await get(request.reference).expect(200);
    expect(detail.body).toMatchObject({ status: 'answered', firstResponseAt: firstAt });
    expect(detail.body.replies.map((r: { body: string }) => r.body)).toEqual([
      'The partner certificate expired.\nIt has been renewed; please resend job JOB-778812.',
      'Resent messages were accepted.',
    ]);
    const replied = detail.body.events.filter((e: { type: string }) => e.type === 'support_request.replied');
    expect(replied.map((e: { data: { firstResponse: boolean } }) => e.data.firstResponse)).toEqual([
      true,
      false,
    ]);

    expect(await worker.drain()).toBe(3);
    const mails = sink.to(EN_CONTACT);
    expect(mails).toHaveLength(3);
    // The relay may take them in any order; the text tells them apart.
    const bySubject = (subject: string) =>
      mails.filter((m) => m.parsed.subject === `[${request.reference}] ${subject}`);
    const [confirmation] = bySubject('We have received your support request');
    const replies = bySubject('Reply to your support request');
    expect(replies).toHaveLength(2);
    const first = replies.find((m) => m.parsed.text?.includes('certificate expired'))!;
    const second = replies.find((m) => m.parsed.text?.includes('Resent messages'))!;
    expect(first.parsed.text).toContain('It has been renewed; please resend job JOB-778812.');
    expect(first.parsed.text).toContain(support.name);
    expect(first.parsed.inReplyTo).toBe(confirmation.parsed.messageId);
    expect(second.parsed.text).toContain('Resent messages were accepted.');
    const keys: { idempotency_key: string; kind: string }[] = await t.db.query(
      `SELECT idempotency_key, kind FROM deliveries WHERE kind = 'support_reply' AND idempotency_key = ANY($1)`,
      [detail.body.replies.map((r: { id: string }) => `sr-reply:${r.id}`)],
    );
    expect(keys).toHaveLength(2);
  });

  it('follows new → triaged → in_progress → answered → closed and refuses anything else with 409', async () => {
    const request = await created({});
    const ref = request.reference;
    const illegal = await post(`${ref}/status`, { status: 'in_progress' });
    expectError(illegal, 409, 'support_request.illegal_transition');
    expect(illegal.body.details).toMatchObject({ from: 'new', to: 'in_progress' });
    expectError(await post(`${ref}/status`, { status: 'closed' }), 409, 'support_request.illegal_transition');
    expectViolation(await post(`${ref}/status`, { status: 'answered' }), 'status', 'isIn');

    await post(`${ref}/triage`, { severity: 3 }).expect(200);
    await post(`${ref}/status`, { status: 'in_progress' }).expect(200);
    expectError(await post(`${ref}/status`, { status: 'closed' }), 409, 'support_request.illegal_transition');
    await post(`${ref}/replies`, { body: 'Fixed on our side.' }).expect(201);
    const closed = await post(`${ref}/status`, { status: 'closed', note: 'Customer confirmed' }).expect(200);
    expect(closed.body.status).toBe('closed');
    expectError(
      await post(`${ref}/status`, { status: 'in_progress' }),
      409,
      'support_request.illegal_transition',
    );
    expectError(await post(`${ref}/replies`, { body: 'Late' }), 409, 'support_request.illegal_transition');
    expectError(await post(`${ref}/triage`, { severity: 1 }), 409, 'support_request.illegal_transition');

    const detail = await get(ref).expect(200);
    expect(
      detail.body.events
        .filter((e: { type: string }) => e.type === 'support_request.status_changed')
        .map((e: { data: { from: string; to: string } }) => `${e.data.from}→${e.data.to}`),
    ).toEqual(['triaged→in_progress', 'answered→closed']);
  });

  it('declares an incident from two requests in one call: both linked, their customers proposed as impacted', async () => {
    const a = await created({
      company: 'Transports Exemple SA',
      contactEmail: FR_CONTACT,
      submissionMethod: 'phone',
      severity: 2,
    });
    const b = await created({
      company: 'Example Retail Ltd',
      contactEmail: EN_CONTACT,
      submissionMethod: 'email',
    });
    const body = {
      requestRefs: [a.reference, b.id],
      title: 'AS2 gateway rejects inbound messages',
      kind: 'service_disruption',
      severity: 2,
    };

    const before = await storedCounts();
    const forbidden = await t.http
      .post('/api/v1/incidents/from-support-requests')
      .set('Authorization', support.auth)
      .send(body);
    expectError(forbidden, 403, 'forbidden');
    const unknown = await t.http
      .post('/api/v1/incidents/from-support-requests')
      .set('Authorization', commander.auth)
      .send({ ...body, requestRefs: [a.reference, 'SR-2026-999999'] });
    expectError(unknown, 404, 'support_request.not_found');
    expectViolation(
      await t.http
        .post('/api/v1/incidents/from-support-requests')
        .set('Authorization', commander.auth)
        .send({ ...body, requestRefs: [] }),
      'requestRefs',
      'arrayMinSize',
    );
    expect(await storedCounts()).toEqual(before);

    const res = await t.http
      .post('/api/v1/incidents/from-support-requests')
      .set('Authorization', commander.auth)
      .send(body)
      .expect(201);
    const incident = res.body.incident as { id: string; reference: string };
    expect(incident.reference).toMatch(/^INC-2026-\d{5}$/);
    expect(res.body.supportRequests.map((r: { reference: string }) => r.reference)).toEqual([
      a.reference,
      b.reference,
    ]);
    expect(res.body.proposedCustomers).toEqual([
      { customerId: retail.id, name: 'Example Retail Ltd', reason: `linked support request ${b.reference}` },
      {
        customerId: transports.id,
        name: 'Transports Exemple SA',
        reason: `linked support request ${a.reference}`,
      },
    ]);
    for (const ref of [a.reference, b.reference]) {
      expect((await get(ref).expect(200)).body.incidentId).toBe(incident.id);
    }

    const impact = await t.http
      .get(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);
    expect(impact.body.impactDefinedAt).toBeNull();
    const impacted = impact.body.impacted as {
      customerId: string;
      adjustment: { action: string; reason: string };
    }[];
    expect(impacted.map((c) => c.customerId).sort()).toEqual([retail.id, transports.id].sort());
    expect(impacted.find((c) => c.customerId === transports.id)!.adjustment).toEqual({
      action: 'add',
      reason: `linked support request ${a.reference}`,
    });
    expect(impacted.find((c) => c.customerId === retail.id)!.adjustment).toEqual({
      action: 'add',
      reason: `linked support request ${b.reference}`,
    });

    const timeline = await t.http
      .get(`/api/v1/incidents/${incident.id}/timeline?limit=200`)
      .set('Authorization', commander.auth)
      .expect(200);
    const types = timeline.body.items.map((e: { type: string }) => e.type);
    expect(types.filter((type: string) => type === 'support_request.linked')).toHaveLength(2);
    expect(types.filter((type: string) => type === 'impact.adjusted')).toHaveLength(2);

    const linked = await t.http
      .get(`/api/v1/support-requests?incidentId=${incident.id}`)
      .set('Authorization', investigator.auth)
      .expect(200);
    expect(linked.body.total).toBe(2);

    // Already linked elsewhere: nothing is declared.
    const again = await t.http
      .post('/api/v1/incidents/from-support-requests')
      .set('Authorization', commander.auth)
      .send({ ...body, title: 'Second try' });
    expectError(again, 409, 'support_request.already_linked');
    expect(await countRows(t.db, 'incidents')).toBe(before.incidents + 1);
  });

  it('links a request to an incident by reference and unlinks it', async () => {
    const incident = await declareIncident(t, commander.auth, { title: 'SFTP uploads stall' });
    const request = await created({});
    const linked = await post(`${request.reference}/link`, { incidentId: incident.reference }).expect(200);
    expect(linked.body.incidentId).toBe(incident.id);
    await post(`${request.reference}/link`, { incidentId: incident.id }).expect(200);
    expectError(
      await post(`${request.reference}/link`, { incidentId: 'INC-2026-99999' }),
      404,
      'incident.not_found',
    );
    expectViolation(await post(`${request.reference}/link`, {}), 'incidentId', 'required');

    const list = await t.http
      .get(`/api/v1/support-requests?incidentId=${incident.id}`)
      .set('Authorization', support.auth)
      .expect(200);
    expect(list.body.items.map((r: { reference: string }) => r.reference)).toEqual([request.reference]);

    const unlinked = await post(`${request.reference}/unlink`, {}).expect(200);
    expect(unlinked.body.incidentId).toBeNull();
    expectError(await post(`${request.reference}/unlink`, {}), 409, 'support_request.not_linked');
    const detail = await get(request.reference).expect(200);
    expect(detail.body.events.map((e: { type: string }) => e.type)).toEqual([
      'support_request.created',
      'support_request.linked',
      'support_request.unlinked',
    ]);
  });

  it('does not reveal a link to a confidential incident to staff who may not see it', async () => {
    const breach = await declareIncident(t, commander.auth, {
      title: 'Credential leak',
      kind: 'security_breach',
    });
    const request = await created({});
    await post(`${request.reference}/link`, { incidentId: breach.id }, commander.auth).expect(200);
    expect((await get(request.reference, commander.auth).expect(200)).body.incidentId).toBe(breach.id);

    const seen = await get(request.reference, support.auth).expect(200);
    expect(seen.body.incidentId).toBeNull();
    expect(JSON.stringify(seen.body)).not.toContain(breach.id);
    expect(JSON.stringify(seen.body)).not.toContain(breach.reference);
    const list = await t.http
      .get(`/api/v1/support-requests?incidentId=${breach.id}`)
      .set('Authorization', support.auth)
      .expect(200);
    expect(list.body.total).toBe(0);
    expectError(
      await post(`${request.reference}/link`, { incidentId: breach.id }),
      404,
      'incident.not_found',
    );
  });

  it('gives 20 parallel creations distinct, consecutive references', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submit({ description: `Parallel report ${i}` })),
    );
    for (const res of results) expect(res.status).toBe(201);
    const numbers = results.map((r) => sequence(r.body.reference)).sort((x, y) => x - y);
    expect(new Set(numbers).size).toBe(20);
    expect(numbers[19] - numbers[0]).toBe(19);
    expect(await worker.drain()).toBe(20);
  });

  it('lists with filters and pagination', async () => {
    const critical = await created({
      submissionMethod: 'phone',
      severity: 1,
      company: 'Example Filterable GmbH',
    });
    const page = await t.http
      .get('/api/v1/support-requests?severity=1&status=new&q=filterable&limit=5')
      .set('Authorization', investigator.auth)
      .expect(200);
    expect(page.body).toMatchObject({ total: 1, limit: 5, offset: 0 });
    expect(page.body.items[0].reference).toBe(critical.reference);

    const all = await t.http
      .get('/api/v1/support-requests?limit=2&offset=1')
      .set('Authorization', support.auth)
      .expect(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.total).toBeGreaterThan(20);
    expectViolation(
      await t.http.get('/api/v1/support-requests?status=open').set('Authorization', support.auth),
      'status',
      'isIn',
    );
  });

  it('lets support and commanders write, every staff role read, and answers 404 for unknown requests', async () => {
    expectError(await submit({}, investigator.auth), 403, 'forbidden');
    const byCommander = await created({});
    const ref = byCommander.reference;
    for (const [path, body] of [
      [`${ref}/triage`, { severity: 2 }],
      [`${ref}/status`, { status: 'in_progress' }],
      [`${ref}/replies`, { body: 'Hello' }],
      [`${ref}/link`, { incidentId: 'INC-2026-00001' }],
      [`${ref}/unlink`, {}],
    ] as const) {
      expectError(await post(path, body, investigator.auth), 403, 'forbidden');
    }
    await post(`${ref}/triage`, { severity: 2 }, commander.auth).expect(200);
    await get(ref, investigator.auth).expect(200);
    await t.http.get('/api/v1/support-requests').set('Authorization', investigator.auth).expect(200);
    expectError(await t.http.get(`/api/v1/support-requests/${ref}`), 401, 'unauthenticated');

    expectError(await get('SR-2026-999999'), 404, 'support_request.not_found');
    expectError(await get('00000000-0000-4000-8000-000000000000'), 404, 'support_request.not_found');
    expectError(await get('not-a-reference'), 404, 'support_request.not_found');
    expectError(await post('SR-2026-999999/triage', { severity: 2 }), 404, 'support_request.not_found');
  });
});
