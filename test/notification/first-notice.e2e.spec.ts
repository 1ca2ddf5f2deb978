import { SignedLinks } from '../../src/links/signed-links';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { NotificationTicks } from '../../src/notification/notification-ticks';
import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The heart of the product, end to end on real PostgreSQL and a real SMTP server: impact is
 * defined, the first notice is approved, each impacted contact receives exactly one mail in
 * its language, threaded, and the SLA proves it; the guard rails fire on the fake clock.
 */
describe('first notice and status updates over SMTP', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;
  let ticks: NotificationTicks;
  let commander: { auth: string; staffId: string };
  let as2: { id: string };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: sink.url, MAIL_FROM: 'Service desk <noreply@tocsin.example.com>' },
    });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
    ticks = t.app.get(NotificationTicks);
    commander = await staffWithToken(t, ['commander']);
    as2 = await createService(t, 'as2-gateway', 'AS2 gateway');
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  async function customer(name: string, language: string, emails: string[], serviceIds: string[]) {
    const res = await t.http
      .post('/api/v1/customers')
      .set('Authorization', t.admin)
      .send({
        name,
        language,
        serviceIds,
        contacts: emails.map((email, i) => ({ name: `Operations contact ${i + 1}`, email })),
      })
      .expect(201);
    return res.body as { id: string };
  }

  it('notifies exactly the impacted contacts, in their language, with reference, next update and threading', async () => {
    sink.received.length = 0;
    const sftp = await createService(t, 'sftp', 'SFTP');
    await customer(
      'Transports Exemple SA',
      'fr',
      ['exploitation@transports.example.com', 'edi@transports.example.com'],
      [as2.id],
    );
    await customer('Example Retail Ltd', 'en', ['it-ops@retail.example.com'], [as2.id, sftp.id]);
    const bystander = await customer(
      'Example Unaffected plc',
      'en',
      ['ops@unaffected.example.net'],
      [sftp.id],
    );
    const incident = await declareIncident(t, commander.auth, {
      title: 'AS2 gateway <script>alert(1)</script> rejects messages',
      severity: 1,
      serviceIds: [as2.id],
    });

    const preview = await t.http
      .get(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);
    expect(preview.body.impactDefinedAt).toBeNull();
    expect(preview.body.impacted.map((c: { name: string }) => c.name).sort()).toEqual([
      'Example Retail Ltd',
      'Transports Exemple SA',
    ]);
    expect(preview.body.impacted.some((c: { customerId: string }) => c.customerId === bystander.id)).toBe(
      false,
    );

    const defined = await t.http
      .post(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);
    expect(defined.body.impactDefinedAt).toBe(t.clock.now().toISOString());
    expect(defined.body.impacted[0].notifyTargetAt).toBe(
      new Date(t.clock.now().getTime() + 20 * 60_000).toISOString(),
    );
    expect(defined.body.impacted[0].notifyDeadlineAt).toBe(
      new Date(t.clock.now().getTime() + 30 * 60_000).toISOString(),
    );

    const notices = await t.http
      .get(`/api/v1/incidents/${incident.id}/notifications`)
      .set('Authorization', commander.auth)
      .expect(200);
    expect(notices.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(notices.body.items).toHaveLength(1);
    expect(notices.body.items[0]).toMatchObject({ kind: 'initial', status: 'draft' });
    await t.http
      .put(`/api/v1/incidents/${incident.id}/notifications/${notices.body.items[0].id}`)
      .set('Authorization', commander.auth)
      .send({ actions: 'Our engineers are restoring the certificate chain.' })
      .expect(200);

    t.clock.advanceMinutes(5);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/notifications/${notices.body.items[0].id}/approve`)
      .set('Authorization', commander.auth)
      .expect(200);
    expect(await worker.drain()).toBe(3);

    expect(sink.received).toHaveLength(3);
    expect(sink.to('ops@unaffected.example.net')).toHaveLength(0);
    const [fr] = sink.to('exploitation@transports.example.com');
    const [en] = sink.to('it-ops@retail.example.com');
    expect(fr.parsed.subject).toBe(
      `[${incident.reference}] Incident de service (sévérité 1) : AS2 gateway <script>alert(1)</script> rejects messages`,
    );
    expect(fr.parsed.text).toContain('CE QUE NOUS FAISONS');
    expect(fr.parsed.text).toContain('Our engineers are restoring the certificate chain.');
    expect(fr.parsed.text).toMatch(
      /Nous vous enverrons le prochain point de situation au plus tard le 2 mars 2026 (à )?10:35/,
    );
    expect(en.parsed.subject).toBe(
      `[${incident.reference}] Service incident (severity 1): AS2 gateway <script>alert(1)</script> rejects messages`,
    );
    expect(en.parsed.text).toContain('We will send you the next update by 2 March 2026');
    // User text is inert in HTML: escaped, never a tag.
    expect(en.parsed.html).not.toContain('<script>');
    expect(en.parsed.html).toContain('&lt;script&gt;');
    expect(en.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@tocsin\.example\.com>$/);

    // Each contact's mail carries its own signed portal link, for its own customer and contact.
    const links = t.app.get(SignedLinks);
    const portalLinks = sink.received.map((mail) => {
      const url = mail.parsed.text!.match(/https?:\/\/\S+\/portal\/\S+/)?.[0] ?? 'no portal link';
      expect(mail.parsed.html).toContain(`href="${url}"`);
      return { to: mail.envelopeTo[0], grant: links.verify(url.split('/portal/')[1], 'portal') };
    });
    expect(new Set(portalLinks.map((l) => l.grant.contactId)).size).toBe(3);
    const frContacts = sink.to('edi@transports.example.com').concat(fr);
    for (const mail of frContacts) {
      const { grant } = portalLinks.find((l) => l.to === mail.envelopeTo[0])!;
      expect(grant.customerId).toBe(portalLinks.find((l) => l.to === fr.envelopeTo[0])!.grant.customerId);
    }
    expect(fr.parsed.text).toContain('VOTRE PAGE INCIDENT');
    expect(en.parsed.html).toMatch(/style="/); // CSS inlined for mail clients

    const sla = await t.http
      .get(`/api/v1/incidents/${incident.id}/sla`)
      .set('Authorization', commander.auth)
      .expect(200);
    expect(sla.body.summary).toMatchObject({ before_target: 2, pending: 0 });
    expect(sla.body.firstResponseAt).toBe(t.clock.now().toISOString());

    // A status update threads under each contact's first notice.
    t.clock.advanceMinutes(10);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/updates`)
      .set('Authorization', commander.auth)
      .send({ message: 'Half of the partners are connected again.' })
      .expect(201);
    await worker.drain();
    const thread = sink.to('it-ops@retail.example.com');
    expect(thread).toHaveLength(2);
    expect(thread[1].parsed.subject).toContain('Update (severity 1)');
    expect(thread[1].parsed.inReplyTo).toBe(en.parsed.messageId);
    expect(thread[1].parsed.text).toContain('Half of the partners are connected again.');
  });

  it('reminds at +20, auto-sends the default notice at +25 and records it, once, whatever the number of ticks', async () => {
    sink.received.length = 0;
    await customer('Esempio Trasporti SpA', 'it', ['sistemi@trasporti.example.com'], [as2.id]);
    const incident = await declareIncident(t, commander.auth, {
      title: 'AS2 latency',
      severity: 2,
      serviceIds: [as2.id],
    });
    await t.http
      .post(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);

    t.clock.advanceMinutes(19);
    await ticks.runDue();
    await worker.drain();
    expect(sink.received.filter((m) => m.parsed.subject?.includes(incident.reference))).toHaveLength(0);

    t.clock.advanceMinutes(1);
    await ticks.runDue();
    await ticks.runDue();
    await worker.drain();
    const reminders = sink.received.filter((m) => m.parsed.subject?.includes('First notice not approved'));
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    expect(reminders.map((m) => m.envelopeTo[0])).toContain(
      (await staffEmail(commander.staffId)).toLowerCase(),
    );
    expect(new Set(reminders.map((m) => m.envelopeTo[0])).size).toBe(reminders.length);

    t.clock.advanceMinutes(5);
    await ticks.runDue();
    await ticks.runDue();
    await worker.drain();
    const notices = sink.to('sistemi@trasporti.example.com');
    expect(notices).toHaveLength(1);
    // The default wording, in the contact's own language.
    expect(notices[0].parsed.subject).toContain('Incidente di servizio (gravità 2)');

    const timeline = await t.http
      .get(`/api/v1/incidents/${incident.id}/timeline?limit=200`)
      .set('Authorization', commander.auth);
    const types = timeline.body.items.map((e: { type: string }) => e.type);
    expect(types.filter((type: string) => type === 'notification.reminder_sent')).toHaveLength(1);
    expect(types.filter((type: string) => type === 'notification.auto_sent')).toHaveLength(1);
    const list = await t.http
      .get(`/api/v1/incidents/${incident.id}/notifications`)
      .set('Authorization', commander.auth);
    expect(list.body.items[0]).toMatchObject({
      kind: 'initial',
      status: 'approved',
      autoApproved: true,
      approvedBy: 'Tocsin',
    });
  });

  it('sends a holding update when an update is due and none was written, and a resolution notice on resolve', async () => {
    sink.received.length = 0;
    await customer('Beispiel Logistik GmbH', 'de', ['it-betrieb@logistik.example.com'], [as2.id]);
    const incident = await declareIncident(t, commander.auth, {
      title: 'AS2 outage',
      severity: 1,
      serviceIds: [as2.id],
    });
    await t.http
      .post(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);
    const [initial] = (
      await t.http.get(`/api/v1/incidents/${incident.id}/notifications`).set('Authorization', commander.auth)
    ).body.items;
    await t.http
      .post(`/api/v1/incidents/${incident.id}/notifications/${initial.id}/approve`)
      .set('Authorization', commander.auth)
      .expect(200);
    await worker.drain();

    t.clock.advanceMinutes(29);
    await ticks.runDue();
    await worker.drain();
    expect(sink.to('it-betrieb@logistik.example.com')).toHaveLength(1);

    t.clock.advanceMinutes(1);
    await ticks.runDue();
    await ticks.runDue();
    await worker.drain();
    const mails = sink.to('it-betrieb@logistik.example.com');
    expect(mails).toHaveLength(2);
    // A German contact: the holding update in German.
    expect(mails[1].parsed.text).toContain('Neue Informationen liegen uns derzeit noch nicht vor.');
    expect(sink.received.some((m) => m.parsed.subject?.includes('a holding update was sent'))).toBe(true);

    await t.http
      .post(`/api/v1/incidents/${incident.id}/resolve`)
      .set('Authorization', commander.auth)
      .send({
        summary: 'Failed disk replaced on the gateway cluster',
        customerMessage: 'The AS2 gateway is processing messages normally again.',
      })
      .expect(200);
    await worker.drain();
    const resolution = sink.to('it-betrieb@logistik.example.com')[2];
    expect(resolution.parsed.subject).toContain('Störung behoben');
    expect(resolution.parsed.text).toContain('The AS2 gateway is processing messages normally again.');
    expect(resolution.parsed.text).toContain('Ursachenanalyse');
    expect(resolution.parsed.text).not.toContain('Failed disk');
  });

  async function staffEmail(id: string): Promise<string> {
    return (await t.http.get(`/api/v1/staff/${id}`).set('Authorization', t.admin)).body.email;
  }
});
