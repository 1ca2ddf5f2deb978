import type { ParsedMail } from 'mailparser';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { RcaPublication } from '../../src/postmortem/rca-publication';
import { RequestRcaCopy } from '../../src/postmortem/rca-requests/request-rca-copy.use-case';
import { expectError, expectViolation } from '../support/api-assertions';
import {
  approveAnalysis as approveAnalysisFixture,
  createService,
  declareIncident,
  staffWithToken,
} from '../support/fixtures';
import { pdfText } from '../support/pdf-text';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

type Staff = { auth: string; staffId: string; name: string };
interface Customer {
  id: string;
  name: string;
  contacts: { id: string; email: string }[];
}

/**
 * RCA copies end to end on real PostgreSQL and a real SMTP server: entitlement (impacted or
 * granted, refusals indistinguishable from unknown references), requests waiting for the
 * publication and fulfilled exactly once, the mail in the customer's language with the PDF
 * and a signed link, proactive sends and corrections, expired and tampered links.
 */
describe('RCA copy requests', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;
  let commander: Staff;
  let support: Staff;
  let postmortem: Staff;
  let service: { id: string };
  let fr: Customer;
  let en: Customer;
  let outsider: Customer;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({
      env: {
        SMTP_URL: sink.url,
        MAIL_FROM: 'Service desk <noreply@tocsin.example.com>',
        PUBLIC_BASE_URL: 'https://tocsin.example.com',
        RCA_LINK_TTL_DAYS: '14',
      },
    });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
    commander = await staffWithToken(t, ['commander']);
    support = await staffWithToken(t, ['support']);
    postmortem = await staffWithToken(t, ['postmortem']);
    service = await createService(t, 'as2-gateway', 'AS2 gateway');
    const other = await createService(t, 'sftp', 'SFTP');
    fr = await customer('Transports Exemple SA', 'fr', ['exploitation@transports.example.com'], [service.id]);
    en = await customer(
      'Example Retail Ltd',
      'en',
      ['it-ops@retail.example.com', 'edi@retail.example.com'],
      [service.id],
    );
    outsider = await customer('Example Unaffected plc', 'en', ['ops@unaffected.example.net'], [other.id]);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
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
    return res.body as Customer;
  }

  /** Declared on the AS2 gateway, impact defined (fr and en impacted, not the outsider), resolved. */
  async function resolvedIncident(kind = 'service_disruption') {
    const incident = await declareIncident(t, commander.auth, {
      title: 'AS2 gateway rejects inbound messages',
      kind,
      severity: 2,
      serviceIds: [service.id],
    });
    await t.http
      .post(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);
    t.clock.advanceMinutes(30);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/resolve`)
      .set('Authorization', commander.auth)
      .send({ summary: 'Certificate chain restored on the gateway.' })
      .expect(200);
    await worker.drain();
    return incident;
  }

  function approveAnalysis(incidentId: string, auth = postmortem.auth) {
    return approveAnalysisFixture(t, incidentId, {
      auth,
      ownerId: postmortem.staffId,
      actionTitle: 'Alert on certificate expiry 30 days ahead',
      texts: { internalNotes: 'Internal only: the renewal ticket was closed by mistake.' },
    });
  }

  async function generate(incidentId: string, correctionNote?: string, auth = postmortem.auth) {
    return t.http
      .post(`/api/v1/incidents/${incidentId}/rca`)
      .set('Authorization', auth)
      .send(correctionNote ? { correctionNote } : {})
      .expect(201);
  }

  async function publish(incidentId: string, sendToImpactedCustomers = false, auth = postmortem.auth) {
    return t.http
      .post(`/api/v1/incidents/${incidentId}/rca/publish`)
      .set('Authorization', auth)
      .send({ sendToImpactedCustomers })
      .expect(200);
  }

  function requestCopy(incidentReference: string, contactId: string, extra: Record<string, unknown> = {}) {
    return t.http
      .post('/api/v1/rca-requests')
      .set('Authorization', support.auth)
      .send({ incidentReference, contactId, channel: 'phone', ...extra });
  }

  function linkIn(mail: ParsedMail): string {
    const match = /https:\/\/tocsin\.example\.com(\/rca\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(
      mail.text ?? '',
    );
    if (!match) throw new Error(`no RCA link in: ${mail.text}`);
    return match[1];
  }

  /** Runs the publication hook again for a version already published (a retried publication). */
  async function republish(incidentId: string, version: number, sendToImpactedCustomers: boolean) {
    await t.db.transaction((em) =>
      t.app.get(RcaPublication).published({
        em,
        incidentId,
        version,
        sendToImpactedCustomers,
        actor: {
          staffMemberId: postmortem.staffId,
          name: postmortem.name,
          tokenId: 'test',
          roles: ['postmortem'],
        },
        at: t.clock.now(),
      }),
    );
  }

  const shape = (body: Record<string, unknown>) => {
    const { id, incidentReference, requestedAt, decidedAt, ...rest } = body;
    expect([typeof id, typeof incidentReference, typeof requestedAt, typeof decidedAt]).toEqual([
      'string',
      'string',
      'string',
      'string',
    ]);
    return rest;
  };

  it('refuses a customer that was not impacted exactly as it refuses an unknown reference, and records both', async () => {
    const incident = await resolvedIncident();
    const notImpacted = await requestCopy(incident.reference, outsider.contacts[0].id);
    const unknown = await requestCopy('INC-2026-99999', outsider.contacts[0].id);
    const garbage = await requestCopy('the outage last Tuesday', outsider.contacts[0].id);
    for (const res of [notImpacted, unknown, garbage]) {
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(Object.keys(notImpacted.body).sort());
      expect(shape(res.body)).toEqual(shape(notImpacted.body));
    }
    expect(notImpacted.body).toMatchObject({
      status: 'refused',
      refusalReason: 'not_entitled',
      incidentId: null,
      channel: 'phone',
      recordedBy: { id: support.staffId, name: support.name },
      fulfilledAt: null,
    });
    expect(unknown.body.incidentReference).toBe('INC-2026-99999');

    const listed = await t.http
      .get(`/api/v1/rca-requests?status=refused&customer=${outsider.id}`)
      .set('Authorization', postmortem.auth)
      .expect(200);
    expect(listed.body.total).toBe(3);
    const rows = await t.db.query(`SELECT incident_id FROM rca_requests WHERE id = $1`, [
      notImpacted.body.id,
    ]);
    expect(rows[0].incident_id).toBe(incident.id);
    await worker.drain();
    expect(sink.to('ops@unaffected.example.net')).toHaveLength(0);

    // Only support (and admins) record requests; unknown contacts are a 404 for staff.
    expectError(
      await t.http
        .post('/api/v1/rca-requests')
        .set('Authorization', postmortem.auth)
        .send({ incidentReference: incident.reference, contactId: fr.contacts[0].id, channel: 'phone' }),
      403,
      'forbidden',
    );
    expectError(
      await requestCopy(incident.reference, '00000000-0000-4000-8000-000000000000'),
      404,
      'contact.not_found',
    );
    expectViolation(
      await requestCopy(incident.reference, fr.contacts[0].id, { channel: 'portal' }),
      'channel',
      'isIn',
    );
    expectViolation(
      await t.http.post('/api/v1/rca-requests').set('Authorization', support.auth).send({ channel: 'phone' }),
      'contactId',
      'required',
    );
  });

  describe('with an RCA to publish', () => {
    let incident: { id: string; reference: string };
    let frLink: string;

    beforeAll(async () => {
      incident = await resolvedIncident();
      await approveAnalysis(incident.id);
      sink.received.length = 0;
    });

    it('keeps a request before publication waiting, then fulfils it exactly once on publication', async () => {
      const asked = await requestCopy(` ${incident.reference.toLowerCase()} `, fr.contacts[0].id, {
        channel: 'email',
        note: 'Asked by e-mail for their quality audit',
      }).expect(201);
      expect(asked.body).toMatchObject({
        incidentReference: incident.reference,
        incidentId: incident.id,
        status: 'waiting',
        refusalReason: null,
        language: 'fr',
        channel: 'email',
        fulfilledVersion: null,
      });
      await generate(incident.id);
      await worker.drain();
      expect(sink.to(fr.contacts[0].email)).toHaveLength(0);

      await publish(incident.id);
      const detail = await t.http
        .get(`/api/v1/rca-requests/${asked.body.id}`)
        .set('Authorization', support.auth)
        .expect(200);
      expect(detail.body).toMatchObject({ status: 'fulfilled', fulfilledVersion: 1 });
      expect(detail.body.copies).toEqual([
        expect.objectContaining({ version: 1, deliveryStatus: 'pending', deliveryId: expect.any(String) }),
      ]);

      await worker.drain();
      await worker.drain();
      await republish(incident.id, 1, false);
      await worker.drain();
      const mails = sink.to(fr.contacts[0].email);
      expect(mails).toHaveLength(1);
      expect(sink.received).toHaveLength(1);
      const after = await t.http
        .get(`/api/v1/rca-requests/${asked.body.id}`)
        .set('Authorization', support.auth)
        .expect(200);
      expect(after.body.copies).toEqual([
        expect.objectContaining({ version: 1, deliveryStatus: 'accepted' }),
      ]);

      const [mail] = mails;
      expect(mail.parsed.subject).toBe(
        `[${incident.reference}] Rapport d’analyse des causes : AS2 gateway rejects inbound messages`,
      );
      expect(mail.parsed.text).toContain('Bonjour Operations contact 1,');
      expect(mail.parsed.text).toContain('Comme vous l’avez demandé');
      expect(mail.parsed.attachments).toHaveLength(1);
      const [pdf] = mail.parsed.attachments;
      expect(pdf.contentType).toBe('application/pdf');
      expect(pdf.filename).toMatch(/\.pdf$/);
      const parsed = await pdfText(pdf.content);
      expect(parsed.pages).toBeGreaterThanOrEqual(1);
      expect(parsed.text).toContain(incident.reference);
      expect(parsed.text).toContain('An intermediate certificate expired on the AS2 gateway.');
      expect(parsed.text).not.toContain('Internal only');

      frLink = linkIn(mail.parsed);
      const opened = await t.http.get(frLink).buffer(true).expect(200);
      expect(opened.headers['content-type']).toMatch(/^application\/pdf/);
      expect(opened.headers['cache-control']).toBe('private, no-store');
      expect((await pdfText(opened.body as Buffer)).text).toContain(incident.reference);
      const html = await t.http.get(`${frLink}?format=html`).expect(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.text).toContain(incident.reference);
      expect(html.text).not.toContain('Internal only');
    });

    it('fulfils a request made after publication at once, in the contact language', async () => {
      sink.received.length = 0;
      const asked = await requestCopy(incident.reference, en.contacts[1].id).expect(201);
      expect(asked.body).toMatchObject({ status: 'fulfilled', fulfilledVersion: 1, language: 'en' });
      await worker.drain();
      const [mail] = sink.to(en.contacts[1].email);
      expect(mail.parsed.subject).toBe(
        `[${incident.reference}] Root cause analysis report: AS2 gateway rejects inbound messages`,
      );
      expect(mail.parsed.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
      expect(sink.to(en.contacts[0].email)).toHaveLength(0);
      await t.http.get(linkIn(mail.parsed)).expect(200);
    });

    it('serves the customer portal through the exported use case, the contact being the actor', async () => {
      sink.received.length = 0;
      const requestCopyUseCase = t.app.get(RequestRcaCopy);
      const request = await requestCopyUseCase.execute(
        { incidentReference: incident.reference, contactId: en.contacts[0].id },
        { channel: 'portal', customerId: en.id },
      );
      expect(request).toMatchObject({
        channel: 'portal',
        recordedById: null,
        status: 'fulfilled',
        fulfilledVersion: 1,
      });
      await expect(
        requestCopyUseCase.execute(
          { incidentReference: incident.reference, contactId: en.contacts[0].id },
          { channel: 'portal', customerId: fr.id },
        ),
      ).rejects.toMatchObject({ code: 'contact.not_found' });
      await worker.drain();
      expect(sink.to(en.contacts[0].email)).toHaveLength(1);
      const timeline = await t.http
        .get(`/api/v1/incidents/${incident.id}/timeline`)
        .set('Authorization', t.admin)
        .expect(200);
      const entries = (timeline.body.items ?? timeline.body) as {
        type: string;
        data: { requestId?: string };
      }[];
      expect(entries.filter((e) => e.type === 'rca.copy_requested').map((e) => e.data.requestId)).toContain(
        request.id,
      );
    });

    it('entitles a customer that was not impacted once an admin grants it, until revoked', async () => {
      sink.received.length = 0;
      const grantsPath = `/api/v1/incidents/${incident.reference}/rca/grants`;
      expectError(
        await t.http
          .post(grantsPath)
          .set('Authorization', support.auth)
          .send({ customerId: outsider.id, reason: 'Partner' }),
        403,
        'forbidden',
      );
      const granted = await t.http
        .post(grantsPath)
        .set('Authorization', t.admin)
        .send({ customerId: outsider.id, reason: 'Partner whose own customers were affected' })
        .expect(201);
      expect(granted.body).toMatchObject({
        customerId: outsider.id,
        incidentId: incident.id,
        revokedAt: null,
      });
      expectError(
        await t.http
          .post(grantsPath)
          .set('Authorization', t.admin)
          .send({ customerId: outsider.id, reason: 'Again' }),
        409,
        'rca_grant.exists',
      );

      const asked = await requestCopy(incident.reference, outsider.contacts[0].id).expect(201);
      expect(asked.body).toMatchObject({ status: 'fulfilled', fulfilledVersion: 1, refusalReason: null });
      await worker.drain();
      const [mail] = sink.to(outsider.contacts[0].email);
      expect(mail.parsed.attachments).toHaveLength(1);
      const link = linkIn(mail.parsed);
      await t.http.get(link).expect(200);

      const revoked = await t.http
        .delete(`${grantsPath}/${granted.body.id}`)
        .set('Authorization', t.admin)
        .expect(200);
      expect(revoked.body.revokedAt).toBe(t.clock.now().toISOString());
      expectError(await t.http.get(link), 403, 'link.revoked');
      const again = await requestCopy(incident.reference, outsider.contacts[0].id).expect(201);
      expect(again.body).toMatchObject({
        status: 'refused',
        refusalReason: 'not_entitled',
        incidentId: null,
      });
      const listed = await t.http.get(grantsPath).set('Authorization', t.admin).expect(200);
      expect(listed.body).toHaveLength(1);
      expect(listed.body[0].revokedBy).toEqual(expect.objectContaining({ name: expect.any(String) }));
    });

    it('refuses a tampered link and, on the fake clock, an expired one', async () => {
      const [payload, mac] = frLink.slice('/rca/'.length).split('.');
      const flipped = payload.slice(0, -2) + (payload.at(-2) === 'A' ? 'B' : 'A') + payload.at(-1);
      expectError(await t.http.get(`/rca/${flipped}.${mac}`), 403, 'link.invalid');
      expectError(await t.http.get(`/rca/${payload}.${mac.slice(0, -1)}`), 403, 'link.invalid');
      expectError(await t.http.get(`/rca/not-a-token`), 403, 'link.invalid');
      const page = await t.http.get(`/rca/${flipped}.${mac}`).set('Accept', 'text/html').expect(403);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('link.invalid');

      await t.http.get(frLink).expect(200);
      t.clock.advance(14 * 86_400_000 + 60_000);
      expectError(await t.http.get(frLink), 403, 'link.expired');
    });
  });

  it('sends proactively to every impacted contact on publication, and a correction to everyone who had version 1', async () => {
    const incident = await resolvedIncident();
    await approveAnalysis(incident.id);
    sink.received.length = 0;
    const asked = await requestCopy(incident.reference, en.contacts[0].id).expect(201);
    expect(asked.body.status).toBe('waiting');
    await generate(incident.id);
    await publish(incident.id, true);
    await republish(incident.id, 1, true);
    await worker.drain();
    await worker.drain();
    const impacted = [fr.contacts[0].email, en.contacts[0].email, en.contacts[1].email];
    for (const email of impacted) expect(sink.to(email)).toHaveLength(1);
    expect(sink.received).toHaveLength(3);
    expect(sink.to(en.contacts[0].email)[0].parsed.text).toContain('As requested');
    expect(sink.to(en.contacts[1].email)[0].parsed.text).toContain('Following the incident that affected');
    // Each contact's mail is its own content (its own link), but a customer's PDF is stored once.
    const [stored] = await t.db.query(
      `SELECT count(*)::int AS attachments, count(DISTINCT a.sha256)::int AS blobs
         FROM deliveries d JOIN mail_attachments a ON a.content_id = d.content_id
        WHERE d.incident_id = $1 AND d.kind = 'rca_copy'`,
      [incident.id],
    );
    expect(stored).toEqual({ attachments: 3, blobs: 2 });
    expect(sink.to(en.contacts[0].email)[0].parsed.attachments[0].content).toEqual(
      sink.to(en.contacts[1].email)[0].parsed.attachments[0].content,
    );

    const requests = await t.http
      .get(`/api/v1/rca-requests?incident=${incident.reference}&limit=10`)
      .set('Authorization', postmortem.auth)
      .expect(200);
    expect(requests.body.total).toBe(3);
    expect(
      requests.body.items.map((r: { channel: string; status: string }) => `${r.channel}:${r.status}`).sort(),
    ).toEqual(['phone:fulfilled', 'proactive:fulfilled', 'proactive:fulfilled']);

    // A correction: version 2 goes to each contact that had version 1, once, marked as corrected.
    await t.http
      .post(`/api/v1/incidents/${incident.id}/postmortem/reopen`)
      .set('Authorization', postmortem.auth)
      .send({ reason: 'Root cause refined' })
      .expect(200);
    const current = await t.http
      .get(`/api/v1/incidents/${incident.id}/postmortem`)
      .set('Authorization', postmortem.auth)
      .expect(200);
    await t.http
      .put(`/api/v1/incidents/${incident.id}/postmortem`)
      .set('Authorization', postmortem.auth)
      .send({
        version: current.body.version,
        rootCauses: 'Two intermediate certificates expired on the gateway.',
      })
      .expect(200);
    for (const step of ['submit', 'approve']) {
      await t.http
        .post(`/api/v1/incidents/${incident.id}/postmortem/${step}`)
        .set('Authorization', postmortem.auth)
        .send({})
        .expect(200);
    }
    await generate(incident.id, 'The root cause now names both certificates');
    await publish(incident.id, false);
    await republish(incident.id, 2, false);
    await worker.drain();
    await worker.drain();
    for (const email of impacted) expect(sink.to(email)).toHaveLength(2);
    const corrected = sink.to(fr.contacts[0].email)[1].parsed;
    expect(corrected.subject).toContain('corrigé (version 2)');
    expect(await pdfText(corrected.attachments[0].content)).toMatchObject({
      text: expect.stringContaining('Two intermediate certificates expired on the gateway.'),
    });
    const detail = await t.http
      .get(`/api/v1/rca-requests/${asked.body.id}`)
      .set('Authorization', support.auth)
      .expect(200);
    expect(detail.body.fulfilledVersion).toBe(2);
    expect(detail.body.copies.map((c: { version: number }) => c.version)).toEqual([1, 2]);
  });

  it('applies the same rules to a confidential incident, without showing it to staff who may not see it', async () => {
    const incident = await resolvedIncident('security_breach');
    sink.received.length = 0;
    const asked = await requestCopy(incident.reference, fr.contacts[0].id).expect(201);
    expect(asked.body).toMatchObject({
      status: 'waiting',
      incidentId: null,
      incidentReference: incident.reference,
    });
    const notImpacted = await requestCopy(incident.reference, outsider.contacts[0].id).expect(201);
    const unknown = await requestCopy('INC-2026-99998', outsider.contacts[0].id).expect(201);
    expect(shape(notImpacted.body)).toEqual(shape(unknown.body));
    expect(notImpacted.body).toMatchObject({ status: 'refused', refusalReason: 'not_entitled' });
    const listed = await t.http
      .get(`/api/v1/rca-requests?incident=${incident.reference}`)
      .set('Authorization', support.auth)
      .expect(200);
    expect(listed.body).toMatchObject({ items: [], total: 0 });
    const adminList = await t.http
      .get(`/api/v1/rca-requests?incident=${incident.reference}`)
      .set('Authorization', t.admin)
      .expect(200);
    expect(adminList.body.total).toBe(2);

    await approveAnalysis(incident.id, t.admin);
    await generate(incident.id, undefined, t.admin);
    await publish(incident.id, false, t.admin);
    await worker.drain();
    const [mail] = sink.to(fr.contacts[0].email);
    // A breach's mail names the reference only: its title may say more than the approved text.
    expect(mail.parsed.subject).toBe(`[${incident.reference}] Rapport d’analyse des causes`);
    expect(mail.parsed.text).not.toContain('AS2 gateway rejects');
    expect(mail.parsed.attachments).toHaveLength(1);
    expect(sink.to(outsider.contacts[0].email)).toHaveLength(0);
  });

  it('leaves no request waiting when requests and the publication race', async () => {
    const incident = await resolvedIncident();
    await approveAnalysis(incident.id);
    await generate(incident.id);
    sink.received.length = 0;
    const contacts = [fr.contacts[0], en.contacts[0], en.contacts[1]];
    const [, ...asked] = await Promise.all([
      publish(incident.id),
      ...contacts.map((c) => requestCopy(incident.reference, c.id).expect(201)),
    ]);
    const rows: { status: string; fulfilled_version: number }[] = await t.db.query(
      `SELECT status, fulfilled_version FROM rca_requests WHERE id = ANY($1::uuid[])`,
      [asked.map((r) => r.body.id)],
    );
    expect(rows).toEqual(contacts.map(() => ({ status: 'fulfilled', fulfilled_version: 1 })));
    await worker.drain();
    for (const c of contacts) expect(sink.to(c.email)).toHaveLength(1);
  });
});
