import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { RcaCustomerEdition, RcaPublication, RcaPublishedEvent } from '../../src/postmortem/rca-publication';
import { expectError, expectViolation } from '../support/api-assertions';
import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import { flat, pdfText } from '../support/pdf-text';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

type Staff = Awaited<ReturnType<typeof staffWithToken>>;

// The whole story in one test: the default 30 s is tight when the machine's CPUs are busy.
const LONG_STORY_MS = 120_000;
const INTERNAL_NOTE = 'Pager rota still listed a colleague on leave';
const SECURITY_DETAIL = 'Leaked key AKIAEXAMPLE used from 203.0.113.7';

/**
 * The RCA report on the real app and PostgreSQL: an incident runs its course (impact, notices
 * accepted by a real SMTP server, resolution), the analysis is approved through its API, then
 * the report is generated, published, fetched in every format and edition, and corrected.
 */
describe('RCA report', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;
  let commander: Staff;
  let problemManager: Staff;
  let outsider: Staff;
  let transports: { id: string };
  let retail: { id: string };
  let bystander: { id: string };
  let incidentServices: string[];
  const published: Omit<RcaPublishedEvent, 'em'>[] = [];

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: sink.url, BUSINESS_TIMEZONE: 'Europe/Paris' } });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
    t.app.get(RcaPublication).onPublished(async ({ em, ...event }) => {
      // Inside the publishing transaction: the row already reads as published there.
      const [row] = await em.query(
        `SELECT published_at FROM rca_reports WHERE incident_id = $1 AND version = $2`,
        [event.incidentId, event.version],
      );
      expect(row.published_at).not.toBeNull();
      published.push(event);
    });
    commander = await staffWithToken(t, ['commander'], 'duty-commander');
    problemManager = await staffWithToken(t, ['postmortem'], 'problem-manager');
    outsider = await staffWithToken(t, ['investigator'], 'network-engineer');
    const as2 = await createService(t, 'as2-gateway', 'AS2 gateway');
    const other = await createService(t, 'sftp', 'SFTP');
    const customer = async (name: string, language: string, email: string, serviceIds: string[]) =>
      (
        await t.http
          .post('/api/v1/customers')
          .set('Authorization', t.admin)
          .send({ name, language, serviceIds, contacts: [{ name: 'Operations contact', email }] })
          .expect(201)
      ).body as { id: string };
    transports = await customer('Transports Exemple SA', 'fr', 'exploitation@transports.example.com', [
      as2.id,
    ]);
    retail = await customer('Example Retail Ltd', 'en', 'it-ops@retail.example.com', [as2.id]);
    bystander = await customer('Example Unaffected plc', 'en', 'ops@unaffected.example.net', [other.id]);
    incidentServices = [as2.id];
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });
  const pm = (path: string) => `/api/v1/incidents/${path}`;

  /** Declared, impact defined, first notice and one update accepted by SMTP, resolved. */
  async function resolvedIncident(title: string) {
    const incident = await declareIncident(t, commander.auth, {
      title,
      severity: 1,
      serviceIds: incidentServices,
    });
    t.clock.advanceMinutes(4);
    await t.http
      .post(pm(`${incident.id}/impact`))
      .set('Authorization', commander.auth)
      .expect(200);
    const notices = await t.http.get(pm(`${incident.id}/notifications`)).set('Authorization', commander.auth);
    t.clock.advanceMinutes(6);
    await t.http
      .post(pm(`${incident.id}/notifications/${notices.body.items[0].id}/approve`))
      .set('Authorization', commander.auth)
      .expect(200);
    await worker.drain();
    t.clock.advanceMinutes(30);
    await t.http
      .post(pm(`${incident.id}/updates`))
      .set('Authorization', commander.auth)
      .send({ message: 'Half of the partners are connected again.' })
      .expect(201);
    await worker.drain();
    t.clock.advanceMinutes(50);
    await t.http
      .post(pm(`${incident.id}/resolve`))
      .set('Authorization', commander.auth)
      .send({
        summary: 'Renewed the chain by hand on the HSM partition',
        customerMessage: 'Le service est rétabli pour tous les partenaires.',
      })
      .expect(200);
    await worker.drain();
    return incident;
  }

  async function approveAnalysis(incidentId: string, texts: Record<string, string>) {
    const url = pm(`${incidentId}/postmortem`);
    const current = await t.http.get(url).set('Authorization', problemManager.auth).expect(200);
    const edited = await t.http
      .put(url)
      .set('Authorization', problemManager.auth)
      .send({ version: current.body.version, ...texts })
      .expect(200);
    await t.http
      .post(`${url}/submit`)
      .set('Authorization', problemManager.auth)
      .send({ version: edited.body.version })
      .expect(200);
    await t.http.post(`${url}/approve`).set('Authorization', problemManager.auth).send({}).expect(200);
  }

  const fetch = (
    id: string,
    format: string,
    query: Record<string, string | number> = {},
    auth = problemManager.auth,
  ) =>
    t.http
      .get(pm(`${id}/rca.${format}`))
      .query(query)
      .set('Authorization', auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        // Errors stay JSON bodies; documents come back as bytes.
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const json = /^application\/json/.test(String(res.headers['content-type']));
          done(null, json ? JSON.parse(bytes.toString('utf8')) : bytes);
        });
      });

  it(
    'generates from the approved analysis, publishes, renders every format and edition, and keeps versions',
    async () => {
      const incident = await resolvedIncident('Défaillance à l’arrêt de la passerelle AS2 — équipe réseau');

      expectError(
        await t.http
          .post(pm(`${incident.id}/rca`))
          .set('Authorization', problemManager.auth)
          .send({}),
        409,
        'rca.analysis_not_approved',
      );

      await t.http
        .get(pm(`${incident.id}/postmortem`))
        .set('Authorization', problemManager.auth)
        .expect(200);
      const action = (body: Record<string, unknown>) =>
        t.http
          .post(pm(`${incident.id}/postmortem/actions`))
          .set('Authorization', problemManager.auth)
          .send({ ownerId: problemManager.staffId, dueOn: '2026-04-15', ...body })
          .expect(201);
      await action({ title: 'Restore the chain for Example Retail Ltd', status: 'done' });
      await action({
        title: 'Alert on certificate chain changes',
        trackerUrl: 'https://tracker.example.com/OPS-1',
      });
      await approveAnalysis(incident.id, {
        wentWell: 'The AS2 specialist joined within ten minutes.',
        wentBadly: 'The first notice waited ten minutes for approval.',
        failureCauses: 'No deputy could approve notices.',
        rootCauses:
          'The renewal for Example Retail Ltd replaced the shared certificate chain (coût : 0 €, œuvre’s end).',
        contributingFactors:
          'Monitoring only checked TLS handshakes for example retail ltd and Transports Exemple SA.',
        internalNotes: INTERNAL_NOTE,
        securityDetails: SECURITY_DETAIL,
      });

      // Generating and publishing belong to the post-mortem role.
      expectError(
        await t.http
          .post(pm(`${incident.id}/rca`))
          .set('Authorization', commander.auth)
          .send({}),
        403,
        'forbidden',
      );
      expectError(
        await t.http
          .post(pm(`${incident.id}/rca/publish`))
          .set('Authorization', problemManager.auth)
          .send({ sendToImpactedCustomers: false }),
        409,
        'rca.not_generated',
      );
      expectError(await fetch(incident.id, 'html'), 404, 'rca.not_found');

      t.clock.advanceMinutes(60);
      const v1 = await t.http
        .post(pm(`${incident.reference}/rca`))
        .set('Authorization', problemManager.auth)
        .send({})
        .expect(201);
      expect(v1.body).toMatchObject({
        version: 1,
        correctionNote: null,
        publishedAt: null,
        generatedBy: { id: problemManager.staffId },
        impactedCustomerCount: 2,
        links: { pdf: `/api/v1/incidents/${incident.reference}/rca.pdf?version=1` },
      });

      // Internal edition: everything, including the analysis retrospective and the notes.
      const internal = (await fetch(incident.id, 'html').expect(200)).body.toString('utf8');
      expect(internal).toContain(INTERNAL_NOTE);
      expect(internal).toContain('Example Retail Ltd');
      expect(internal).toContain('Status update sent');
      expect(internal).toContain('First notice delivered to customers');
      // Declared at 09:00 UTC (fake clock), resolved 90 minutes later; times in Europe/Paris.
      expect(internal).toContain('1 h 30 min');
      expect(internal).toContain('2 March 2026 at 10:00 CET');

      // Customer edition for one impacted customer: its name, nobody else's, nothing internal.
      const html = await fetch(incident.id, 'html', {
        edition: 'customer',
        customerId: transports.id,
      }).expect(200);
      expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
      const page = html.body.toString('utf8');
      expect(page).toContain('<html lang="fr">');
      expect(page).toContain('Transports Exemple SA');
      expect(page).toContain('un autre client');
      expect(page).toContain('Le service est rétabli pour tous les partenaires.');
      expect(page).toContain('Clients impactés');
      for (const leak of [
        INTERNAL_NOTE,
        SECURITY_DETAIL,
        'HSM partition',
        'tracker.example.com',
        problemManager.name,
      ])
        expect(page).not.toContain(leak);
      expect(page).not.toMatch(/Example Retail Ltd/i);

      const pdfRes = await fetch(incident.id, 'pdf', { edition: 'customer', customerId: retail.id }).expect(
        200,
      );
      expect(pdfRes.headers['content-type']).toBe('application/pdf');
      expect(pdfRes.headers['content-disposition']).toBe(
        `inline; filename="${incident.reference}-rca-v1-en.pdf"`,
      );
      const pdf = flat(await pdfText(pdfRes.body));
      expect(pdf.pages).toBeGreaterThanOrEqual(2);
      expect(pdf.pageTexts[0]).toContain('Défaillance à l’arrêt de la passerelle AS2 — équipe réseau');
      expect(pdf.pageTexts[pdf.pages - 1]).toContain(`Page ${pdf.pages} of ${pdf.pages}`);
      expect(pdf.text).toContain('coût : 0 €, œuvre’s end');
      expect(pdf.text).toContain('Prepared for Example Retail Ltd');
      expect(pdf.text).not.toContain('Transports Exemple SA');
      for (const leak of [INTERNAL_NOTE, SECURITY_DETAIL, 'HSM partition'])
        expect(pdf.text).not.toContain(leak);

      const md = (
        await fetch(incident.id, 'md', { edition: 'customer', customerId: transports.id, lang: 'en' }).expect(
          200,
        )
      ).body.toString('utf8');
      expect(md).toMatch(/^# Root cause analysis report: /);
      expect(md).toContain('| Customers impacted | 2 |');
      expect(md).not.toMatch(/Example Retail Ltd/i);

      // The customer edition is rendered for an impacted customer only.
      expectViolation(await fetch(incident.id, 'pdf', { edition: 'customer' }), 'customerId', 'required');
      expectViolation(
        await fetch(incident.id, 'pdf', { edition: 'customer', customerId: bystander.id }),
        'customerId',
        'impacted',
      );
      expectViolation(await fetch(incident.id, 'pdf', { lang: 'nl' }), 'lang', 'isIn');
      expectError(await fetch(incident.id, 'pdf', { version: 9 }), 404, 'rca.not_found');

      // Publication: once, in the same transaction as the copy requests' hook.
      const pub = await t.http
        .post(pm(`${incident.id}/rca/publish`))
        .set('Authorization', problemManager.auth)
        .send({ sendToImpactedCustomers: true })
        .expect(200);
      expect(pub.body).toMatchObject({
        version: 1,
        publishedAt: t.clock.now().toISOString(),
        sentToImpactedCustomers: true,
      });
      expect(published).toEqual([
        expect.objectContaining({
          incidentId: incident.id,
          version: 1,
          sendToImpactedCustomers: true,
          at: t.clock.now(),
        }),
      ]);
      expectError(
        await t.http
          .post(pm(`${incident.id}/rca/publish`))
          .set('Authorization', problemManager.auth)
          .send({ version: 1, sendToImpactedCustomers: false }),
        409,
        'rca.already_published',
      );

      // A correction: the analysis is reopened and approved again, version 2 says what changed.
      const url = pm(`${incident.id}/postmortem`);
      await t.http
        .post(`${url}/reopen`)
        .set('Authorization', problemManager.auth)
        .send({ reason: 'Vendor report' })
        .expect(200);
      await approveAnalysis(incident.id, {
        rootCauses: 'The vendor’s renewal job rewrote the shared chain.',
      });
      expectViolation(
        await t.http
          .post(pm(`${incident.id}/rca`))
          .set('Authorization', problemManager.auth)
          .send({}),
        'correctionNote',
        'required',
      );
      t.clock.advanceMinutes(10);
      const v2 = await t.http
        .post(pm(`${incident.id}/rca`))
        .set('Authorization', problemManager.auth)
        .send({ correctionNote: 'Root cause confirmed by the vendor' })
        .expect(201);
      expect(v2.body).toMatchObject({
        version: 2,
        correctionNote: 'Root cause confirmed by the vendor',
        publishedAt: null,
      });

      // Not published yet: the RCA copies cannot send it.
      await expect(
        t.db.transaction((em) =>
          t.app.get(RcaCustomerEdition).render(em, {
            incidentId: incident.id,
            version: 2,
            customerId: transports.id,
            language: 'fr',
            format: 'pdf',
          }),
        ),
      ).rejects.toMatchObject({ code: 'rca.not_published' });

      const latest = (await fetch(incident.id, 'md').expect(200)).body.toString('utf8');
      expect(latest).toContain('The vendor’s renewal job rewrote the shared chain.');
      expect(latest).toContain('Root cause confirmed by the vendor');
      const first = (await fetch(incident.id, 'md', { version: 1 }).expect(200)).body.toString('utf8');
      expect(first).toContain('The renewal for Example Retail Ltd replaced the shared certificate chain');
      expect(first).not.toContain('vendor');

      const list = await t.http
        .get(pm(`${incident.id}/rca`))
        .set('Authorization', outsider.auth)
        .expect(200);
      expect(list.body).toMatchObject({ reference: incident.reference, publishedVersion: 1 });
      expect(
        list.body.versions.map((v: { version: number; publishedAt: string | null }) => [
          v.version,
          !!v.publishedAt,
        ]),
      ).toEqual([
        [1, true],
        [2, false],
      ]);

      await t.http
        .post(pm(`${incident.id}/rca/publish`))
        .set('Authorization', problemManager.auth)
        .send({ sendToImpactedCustomers: false })
        .expect(200);
      expect(published.map((e) => e.version)).toEqual([1, 2]);

      // The RCA copy requests' view of it: the published customer edition for one customer.
      await t.db.transaction(async (em) => {
        const edition = t.app.get(RcaCustomerEdition);
        expect(await edition.latestPublishedVersion(em, incident.id)).toBe(2);
        const copy = await edition.render(em, {
          incidentId: incident.id,
          version: 2,
          customerId: transports.id,
          language: 'fr',
          format: 'pdf',
        });
        expect(copy.filename).toBe(`${incident.reference}-rca-v2-fr.pdf`);
        const text = flat(await pdfText(copy.content)).text;
        expect(text).toContain('Rapport d’analyse des causes');
        expect(text).toContain('Root cause confirmed by the vendor');
        expect(text).not.toMatch(/Example Retail Ltd/i);
      });

      // A version is immutable, and every step is on the timeline.
      await expect(
        t.db.query(`UPDATE rca_reports SET content = '{}' WHERE incident_id = $1 AND version = 1`, [
          incident.id,
        ]),
      ).rejects.toThrow(/immutable/);
      const timeline = await t.http
        .get(pm(`${incident.id}/timeline?limit=200`))
        .set('Authorization', t.admin)
        .expect(200);
      expect(
        timeline.body.items
          .filter((e: { type: string }) => ['rca.generated', 'rca.published'].includes(e.type))
          .map((e: { type: string; data: { version: number } }) => `${e.type}:${e.data.version}`),
      ).toEqual(['rca.generated:1', 'rca.published:1', 'rca.generated:2', 'rca.published:2']);
    },
    LONG_STORY_MS,
  );

  it('keeps a confidential incident’s report from staff who are not on it', async () => {
    const breach = await declareIncident(t, commander.auth, {
      title: 'Credential exposure',
      kind: 'security_breach',
      severity: 1,
    });
    for (const format of ['html', 'pdf', 'md'])
      expectError(await fetch(breach.id, format, {}, outsider.auth), 404, 'incident.not_found');
    expectError(
      await t.http.get(pm(`${breach.id}/rca`)).set('Authorization', outsider.auth),
      404,
      'incident.not_found',
    );
    expectError(
      await t.http
        .post(pm(`${breach.id}/rca`))
        .set('Authorization', outsider.auth)
        .send({}),
      403,
      'forbidden',
    );
  });
});
