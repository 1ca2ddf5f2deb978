import { SignedLinks } from '../../src/links/signed-links';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { RelayRateLimiter } from '../../src/delivery/relay-rate-limiter';
import type { SendOutcome } from '../../src/delivery/smtp/mail-transport';
import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

interface LedgerRow {
  id: string;
  kind: string;
  status: string;
  to_address: string;
  message_id: string;
  attempts: number;
  next_attempt_at: Date;
  locked_by: string | null;
  accepted_at: Date | null;
  smtp_response: string | null;
  last_error: string | null;
  failed_at: Date | null;
  superseded_at: Date | null;
}

/** The worker's private steps, called directly to play a worker that stalls mid-batch. */
interface Internals {
  claim(limit: number): Promise<{ id: string; incident_id: string }[]>;
  record(row: { id: string; incident_id: string }, outcome: SendOutcome): Promise<void>;
}

/**
 * What goes wrong between the ledger and the relay, on real PostgreSQL and a real SMTP server
 * with a fake clock: temporary and permanent refusals, a worker that dies holding a lease, two
 * instances sharing the queue, a crash after the relay's 250, superseded updates, header
 * injection and the priority of first notices. Every assertion reads the ledger or the sink.
 */
describe('delivery failures and recovery over SMTP', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;
  let commander: { auth: string; staffId: string };
  let seq = 0;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: sink.url, MAIL_FROM: 'Service desk <noreply@tocsin.example.com>' },
    });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
    commander = await staffWithToken(t, ['commander']);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });
  beforeEach(() => {
    sink.received.length = 0;
    sink.temporaryFailures = 0;
    sink.temporaryCode = 451;
    sink.rejectAddresses.clear();
  });

  /** A customer subscribed to `serviceId` with `count` contacts named after their role. */
  async function customer(
    name: string,
    serviceId: string,
    emails: string[],
    options: { language?: string; contactName?: string } = {},
  ) {
    const res = await t.http
      .post('/api/v1/customers')
      .set('Authorization', t.admin)
      .send({
        name,
        language: options.language ?? 'en',
        serviceIds: [serviceId],
        contacts: emails.map((email, i) => ({
          name: options.contactName ?? `Operations lead ${i + 1}`,
          email,
        })),
      })
      .expect(201);
    return res.body as { id: string; contacts: { id: string; email: string }[] };
  }

  function addresses(prefix: string, count: number, domain = 'example.com'): string[] {
    return Array.from({ length: count }, (_, i) => `${prefix}.${i + 1}@${domain}`);
  }

  /** A service with customers, an incident on it, impact defined: returns the incident and its first-notice draft. */
  async function incidentOn(serviceId: string, title: string) {
    const incident = await declareIncident(t, commander.auth, {
      title,
      severity: 1,
      serviceIds: [serviceId],
    });
    await t.http
      .post(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);
    const notices = await t.http
      .get(`/api/v1/incidents/${incident.id}/notifications`)
      .set('Authorization', commander.auth)
      .expect(200);
    return { incident, initialId: notices.body.items[0].id as string };
  }

  async function approve(incidentId: string, notificationId: string) {
    await t.http
      .post(`/api/v1/incidents/${incidentId}/notifications/${notificationId}/approve`)
      .set('Authorization', commander.auth)
      .expect(200);
  }

  async function postUpdate(incidentId: string, message: string) {
    const res = await t.http
      .post(`/api/v1/incidents/${incidentId}/updates`)
      .set('Authorization', commander.auth)
      .send({ message })
      .expect(201);
    return res.body as { id: string };
  }

  /** A fresh service, one customer with `count` contacts, an incident with its first notice approved. */
  async function approvedIncident(label: string, count: number) {
    const service = await createService(t, `${label}-${++seq}`, `Service ${label} ${seq}`);
    const emails = addresses(`${label}${seq}`, count);
    await customer(`Example ${label} ${seq} Ltd`, service.id, emails);
    const { incident, initialId } = await incidentOn(service.id, `${label} gateway rejects messages`);
    await approve(incident.id, initialId);
    return { incident, emails };
  }

  async function ledger(incidentId: string, where = 'TRUE', params: unknown[] = []): Promise<LedgerRow[]> {
    return t.db.query(
      `SELECT id, kind, status, to_address, message_id, attempts, next_attempt_at, locked_by, accepted_at, smtp_response,
              last_error, failed_at, superseded_at
         FROM deliveries WHERE incident_id = $1 AND (${where}) ORDER BY seq`,
      [incidentId, ...params],
    );
  }

  function messageIdCounts(mails: ReceivedMail[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const mail of mails)
      counts.set(mail.parsed.messageId!, (counts.get(mail.parsed.messageId!) ?? 0) + 1);
    return counts;
  }

  it.each([421, 451])(
    'retries after a temporary %i with exponential backoff, then delivers exactly one copy each',
    async (code) => {
      const { incident, emails } = await approvedIncident(`relay${code}`, 5);
      sink.temporaryCode = code;
      sink.temporaryFailures = 2;
      const sentAt = t.clock.now();

      expect(await worker.drain()).toBe(5);
      expect(sink.temporaryFailures).toBe(0);
      expect(sink.received).toHaveLength(3);
      const retrying = await ledger(incident.id, `status = 'retrying'`);
      expect(retrying).toHaveLength(2);
      for (const row of retrying) {
        expect(row.last_error).toContain(String(code));
        expect(row.last_error).toContain('try again later');
        expect(row.attempts).toBe(1);
        expect(row.accepted_at).toBeNull();
        // First retry: full jitter in [base/2, base] = [2.5 s, 5 s] after the failure.
        const delay = new Date(row.next_attempt_at).getTime() - sentAt.getTime();
        expect(delay).toBeGreaterThanOrEqual(2_500);
        expect(delay).toBeLessThanOrEqual(5_000);
      }

      // Not due yet: nothing is claimed.
      t.clock.advance(2_000);
      expect(await worker.drain()).toBe(0);
      expect(sink.received).toHaveLength(3);

      t.clock.advance(3_001);
      expect(await worker.drain()).toBe(2);
      for (const email of emails) expect(sink.to(email)).toHaveLength(1);
      expect([...messageIdCounts(sink.received).values()].every((n) => n === 1)).toBe(true);

      const rows = await ledger(incident.id);
      expect(rows).toHaveLength(5);
      for (const row of rows) {
        expect(row.status).toBe('accepted');
        expect(row.smtp_response).toMatch(/^250\b.*queued/);
        expect(new Date(row.accepted_at!).getTime()).toBeGreaterThanOrEqual(sentAt.getTime());
        expect(row.last_error).toBeNull();
      }
      expect(
        rows
          .filter((r) => r.attempts === 2)
          .map((r) => r.id)
          .sort(),
      ).toEqual(retrying.map((r) => r.id).sort());
    },
  );

  it('fails a 550-rejected address for good, delivers the others, and the SLA shows that customer as failed', async () => {
    const service = await createService(t, `bounce-${++seq}`, 'EDI translator');
    const freight = await customer('Example Freight BV', service.id, [
      'planning@freight.example.com',
      'no-such-desk@freight.example.com',
    ]);
    const retail = await customer('Example Retail Ltd', service.id, ['it-ops@retail.example.net']);
    sink.rejectAddresses.add('no-such-desk@freight.example.com');
    const { incident, initialId } = await incidentOn(service.id, 'EDI translator drops interchanges');
    await approve(incident.id, initialId);

    expect(await worker.drain()).toBe(3);
    // A permanent refusal is final: no retry is scheduled and a later drain leaves it alone.
    t.clock.advanceMinutes(10);
    expect(await worker.drain()).toBe(0);

    const [rejected] = await ledger(incident.id, `to_address = 'no-such-desk@freight.example.com'`);
    expect(rejected).toMatchObject({ status: 'failed', attempts: 1, accepted_at: null });
    expect(rejected.last_error).toMatch(/550/);
    expect(rejected.last_error).toMatch(/mailbox unavailable/);
    expect(rejected.failed_at).not.toBeNull();
    const others = await ledger(incident.id, `to_address <> 'no-such-desk@freight.example.com'`);
    expect(others.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(sink.to('no-such-desk@freight.example.com')).toHaveLength(0);
    expect(sink.to('planning@freight.example.com')).toHaveLength(1);
    expect(sink.to('it-ops@retail.example.net')).toHaveLength(1);

    const sla = await t.http
      .get(`/api/v1/incidents/${incident.id}/sla`)
      .set('Authorization', commander.auth)
      .expect(200);
    const byId = new Map(sla.body.customers.map((c: { customerId: string }) => [c.customerId, c]));
    expect(byId.get(freight.id)).toMatchObject({ outcome: 'failed', notifiedAt: null });
    expect((byId.get(freight.id) as { contacts: unknown[] }).contacts).toContainEqual(
      expect.objectContaining({
        email: 'no-such-desk@freight.example.com',
        status: 'failed',
        lastError: expect.stringMatching(/550/),
      }),
    );
    expect(byId.get(retail.id)).toMatchObject({ outcome: 'before_target' });
    expect(sla.body.summary).toMatchObject({ failed: 1, before_target: 1, pending: 0 });
  });

  it("sends a crashed worker's rows once its lease has expired, and ignores its late outcome", async () => {
    const { incident, emails } = await approvedIncident('lease', 3);
    // Another worker on the same database claims the rows, then stalls before sending anything.
    const stalled = new DeliveryWorker(
      t.db,
      t.config,
      t.clock,
      t.app.get(RelayRateLimiter),
      t.app.get(SignedLinks),
    );
    const claimed = await (stalled as unknown as Internals).claim(10);
    expect(claimed).toHaveLength(3);
    expect(claimed.every((r) => r.incident_id === incident.id)).toBe(true);
    const held = await ledger(incident.id);
    expect(held.map((r) => [r.status, r.locked_by])).toEqual(Array(3).fill(['sending', stalled.workerId]));

    // Its lease still holds: nobody else may take the rows.
    t.clock.advance(t.config.mail.leaseSeconds * 1000 - 1_000);
    expect(await worker.drain()).toBe(0);
    expect(sink.received).toHaveLength(0);

    t.clock.advance(2_000);
    expect(await worker.drain()).toBe(3);
    for (const email of emails) expect(sink.to(email)).toHaveLength(1);
    const rows = await ledger(incident.id);
    expect(rows.map((r) => [r.status, r.attempts, r.locked_by])).toEqual(
      Array(3).fill(['accepted', 2, worker.workerId]),
    );

    // The stalled worker wakes up and records what it thinks happened: the ledger ignores it.
    await (stalled as unknown as Internals).record(claimed[0], {
      outcome: 'failed',
      error: '550 late answer',
    });
    await (stalled as unknown as Internals).record(claimed[1], {
      outcome: 'retry',
      error: '451 late answer',
    });
    await (stalled as unknown as Internals).record(claimed[2], {
      outcome: 'accepted',
      response: '250 late answer',
    });
    const after = await ledger(incident.id);
    expect(after.map((r) => [r.status, r.last_error, r.smtp_response])).toEqual(
      rows.map((r) => ['accepted', null, r.smtp_response]),
    );
    expect(after.every((r) => /^250\b.*queued/.test(r.smtp_response!))).toBe(true);
    expect(await worker.drain()).toBe(0);
    expect(sink.received).toHaveLength(3);
  });

  it('shares the queue between two instances on one database: 300 contacts, one copy each', async () => {
    const service = await createService(t, `fleet-${++seq}`, 'Partner portal');
    const emails: string[] = [];
    for (const part of ['a', 'b', 'c']) {
      const batch = addresses(`contact-${part}`, 100, `fleet-${part}.example.net`);
      await customer(`Example Fleet ${part.toUpperCase()} SA`, service.id, batch);
      emails.push(...batch);
    }
    const { incident, initialId } = await incidentOn(service.id, 'Partner portal unavailable');
    await approve(incident.id, initialId);

    const second = await startTestApp({
      databaseUrl: t.databaseUrl,
      clock: t.clock,
      env: { SMTP_URL: sink.url, DELIVERY_BATCH_SIZE: '25' },
    });
    let counts: number[];
    let otherWorkerId: string;
    try {
      const w2 = second.app.get(DeliveryWorker);
      w2.useRelay(sink.url);
      otherWorkerId = w2.workerId;
      expect(otherWorkerId).not.toBe(worker.workerId);
      const started = Date.now();
      counts = await Promise.all([worker.drain(), w2.drain()]);
      console.log(`two workers drained 300 rows in ${Date.now() - started} ms: ${counts.join(' + ')}`);
    } finally {
      await second.close();
    }
    // The second instance's close() must not drop the database it did not create.
    const [{ exists }] = await t.db.query(
      `SELECT count(*)::int AS exists FROM pg_database WHERE datname = current_database()`,
    );
    expect(exists).toBe(1);

    expect(counts[0] + counts[1]).toBe(300);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);
    expect(sink.received).toHaveLength(300);
    for (const email of emails) expect(sink.to(email)).toHaveLength(1);
    const ids = messageIdCounts(sink.received);
    expect(ids.size).toBe(300);
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
    const rows = await ledger(incident.id);
    expect(rows).toHaveLength(300);
    expect(rows.every((r) => r.status === 'accepted' && r.attempts === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set(ids.keys()));
    expect(new Set(rows.map((r) => r.locked_by))).toEqual(new Set([worker.workerId, otherWorkerId!]));
  });

  it('resends with the same Message-ID when the process dies between the 250 and the ledger commit', async () => {
    const { incident, emails } = await approvedIncident('commit', 2);
    expect(await worker.drain()).toBe(2);
    const [victim, bystander] = emails;
    const [first] = sink.to(victim);

    // The relay accepted the mail, but the "accepted" write never committed.
    await t.db.query(
      `UPDATE deliveries SET status = 'sending', accepted_at = NULL, smtp_response = NULL,
              locked_by = 'crashed-host:4242:deadbeef', locked_until = $2, next_attempt_at = $2
        WHERE incident_id = $1 AND to_address = $3`,
      [incident.id, new Date(t.clock.now().getTime() - 1_000), victim],
    );
    expect(await worker.drain()).toBe(1);

    const copies = sink.to(victim);
    const duplicates = copies.length - 1;
    console.log(
      `crash between the relay's 250 and the ledger commit: ${duplicates} duplicate(s) for ${victim}`,
    );
    expect(duplicates).toBeLessThanOrEqual(1);
    expect(duplicates).toBe(1);
    expect(copies.map((m) => m.parsed.messageId)).toEqual([first.parsed.messageId, first.parsed.messageId]);
    expect(sink.to(bystander)).toHaveLength(1);
    const [row] = await ledger(incident.id, 'to_address = $2', [victim]);
    expect(row).toMatchObject({ status: 'accepted', attempts: 2, message_id: first.parsed.messageId });
  });

  it('supersedes an update that has not left when a newer one is posted, and keeps the order per contact', async () => {
    const { incident, emails } = await approvedIncident('supersede', 2);
    const older = await postUpdate(incident.id, 'Older news: the certificate is being renewed.');
    t.clock.advanceMinutes(1);
    const newer = await postUpdate(
      incident.id,
      'Newer news: the certificate was renewed, traffic is flowing.',
    );

    const superseded = await ledger(incident.id, `kind = 'update' AND status = 'superseded'`);
    expect(superseded).toHaveLength(2);
    expect(superseded.every((r) => r.superseded_at !== null)).toBe(true);
    const olderIds: { id: string }[] = await t.db.query(
      `SELECT id FROM deliveries WHERE notification_id = $1`,
      [older.id],
    );
    expect(olderIds.map((r) => r.id).sort()).toEqual(superseded.map((r) => r.id).sort());

    expect(await worker.drain()).toBe(4);
    for (const email of emails) {
      const mails = sink.to(email);
      expect(mails).toHaveLength(2);
      expect(mails[0].parsed.subject).toContain('Service incident');
      expect(mails[1].parsed.subject).toContain('Update');
      expect(mails[1].parsed.text).toContain('Newer news');
      expect(mails.some((m) => m.parsed.text?.includes('Older news'))).toBe(false);
      expect(mails[1].parsed.inReplyTo).toBe(mails[0].parsed.messageId);
    }
    const newerRows: LedgerRow[] = await t.db.query(
      `SELECT status FROM deliveries WHERE notification_id = $1`,
      [newer.id],
    );
    expect(newerRows.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(
      (await ledger(incident.id, `kind = 'update' AND status = 'superseded'`)).every((r) => r.attempts === 0),
    ).toBe(true);
  });

  it('never lets CR/LF in a contact name or an incident title add a header', async () => {
    const service = await createService(t, `inject-${++seq}`, 'Customer portal');
    const target = 'duty-manager@injection.example.com';
    await customer('Example Injection Test Ltd', service.id, [target], {
      contactName: 'x\r\nBcc: victim@example.net',
    });
    const { incident, initialId } = await incidentOn(
      service.id,
      'Portal down\r\nBcc: victim@example.net\r\nX-Injected: yes',
    );
    await approve(incident.id, initialId);
    expect(await worker.drain()).toBe(1);

    expect(sink.received).toHaveLength(1);
    const [mail] = sink.received;
    expect(mail.envelopeTo).toEqual([target]);
    expect(sink.to('victim@example.net')).toHaveLength(0);
    expect(mail.parsed.bcc).toBeUndefined();
    expect(mail.parsed.headers.has('bcc')).toBe(false);
    expect(mail.parsed.headers.has('x-injected')).toBe(false);
    const headerBlock = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/));
    expect(headerBlock).not.toMatch(/^(bcc|x-injected):/im);
    expect(mail.parsed.subject).not.toMatch(/[\r\n]/);
    expect(mail.parsed.subject).toBe(
      `[${incident.reference}] Service incident (severity 1): Portal down Bcc: victim@example.net X-Injected: yes`,
    );
    const to = Array.isArray(mail.parsed.to) ? mail.parsed.to : [mail.parsed.to!];
    expect(to.flatMap((a) => a.value).map((v) => v.address)).toEqual([target]);
    expect(to[0].value[0].name).not.toMatch(/[\r\n]/);
  });

  it("keeps sending rows whose mail was cached when the worker's cache of composed mails overflows", async () => {
    const older = await approvedIncident('cache', 2);
    const newer = await approvedIncident('cache', 2);
    const [{ content_id: cached }]: { content_id: string }[] = await t.db.query(
      `SELECT content_id FROM deliveries WHERE incident_id = $1 LIMIT 1`,
      [older.incident.id],
    );
    // A long-running worker has composed a thousand other notices; the older one is among them.
    const internals = worker as unknown as {
      prepared: Map<string, unknown>;
      loadContents(rows: { content_id: string }[]): Promise<void>;
    };
    await internals.loadContents([{ content_id: cached }]);
    for (let i = 0; internals.prepared.size <= 1000; i++)
      internals.prepared.set(`composed-earlier-${i}`, Promise.resolve(undefined));

    expect(await worker.drain()).toBe(4);
    for (const email of [...older.emails, ...newer.emails]) expect(sink.to(email)).toHaveLength(1);
    const rows = [...(await ledger(older.incident.id)), ...(await ledger(newer.incident.id))];
    expect(rows.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
  });

  it('sends first notices before a backlog of updates when batches are small', async () => {
    // Incident A: first notice out, then an update to 15 contacts waits in the ledger.
    const serviceA = await createService(t, `backlog-${++seq}`, 'Reporting API');
    const backlog = addresses(`backlog${seq}`, 15, 'backlog.example.net');
    await customer('Example Backlog Group', serviceA.id, backlog);
    const a = await incidentOn(serviceA.id, 'Reporting API slow');
    await approve(a.incident.id, a.initialId);
    expect(await worker.drain()).toBe(15);
    await postUpdate(a.incident.id, 'Reporting queries are being rebalanced.');

    // Incident B, declared later: 10 first notices queue behind the updates.
    t.clock.advanceMinutes(1);
    const serviceB = await createService(t, `urgent-${++seq}`, 'Payment gateway');
    const urgent = addresses(`urgent${seq}`, 10, 'urgent.example.net');
    await customer('Example Urgent Payments SA', serviceB.id, urgent);
    const b = await incidentOn(serviceB.id, 'Payment gateway down');
    await approve(b.incident.id, b.initialId);
    sink.received.length = 0;

    const small = await startTestApp({
      databaseUrl: t.databaseUrl,
      clock: t.clock,
      env: { SMTP_URL: sink.url, DELIVERY_BATCH_SIZE: '5' },
    });
    try {
      const w = small.app.get(DeliveryWorker);
      w.useRelay(sink.url);
      expect(small.config.mail.batchSize).toBe(5);
      // Two batches of five: only first notices of incident B.
      expect(await w.runBatch()).toBe(5);
      expect(await w.runBatch()).toBe(5);
      expect(sink.received).toHaveLength(10);
      expect(
        sink.received.every((m) =>
          m.parsed.subject?.startsWith(`[${b.incident.reference}] Service incident`),
        ),
      ).toBe(true);
      expect(await w.drain()).toBe(15);
    } finally {
      await small.close();
    }
    const order = sink.received.map((m) => m.parsed.subject ?? '');
    const lastInitial = Math.max(...order.map((s, i) => (s.includes(b.incident.reference) ? i : -1)));
    const firstUpdate = order.findIndex((s) => s.includes(a.incident.reference));
    expect(lastInitial).toBe(9);
    expect(firstUpdate).toBe(10);
    expect(order.slice(10).every((s) => s.startsWith(`[${a.incident.reference}] Update`))).toBe(true);
    for (const email of urgent) expect(sink.to(email)).toHaveLength(1);
    for (const email of backlog) expect(sink.to(email)).toHaveLength(1);
  });
});
