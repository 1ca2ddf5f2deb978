import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { SignedLinks } from '../../src/links/signed-links';
import { fullDbSnapshot } from '../support/api-assertions';
import { createService, declareIncident, publishRca, staffWithToken } from '../support/fixtures';
import { flat, pdfText } from '../support/pdf-text';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

const BASE = 'https://tocsin.example.com';

interface Customer {
  id: string;
  name: string;
  contacts: { id: string; email: string; name: string }[];
}

type Incident = { id: string; reference: string; title: string };

/**
 * One customer's portal link never reaches another customer (README, "Customer portal",
 * "Isolation"), on the real app, real PostgreSQL and a real SMTP server: customers A and B,
 * incidents impacting A only, B only, both, and a security breach impacting A. With A's link
 * (taken from A's notice mail) every way to B's incident, RCA, escalation and support requests
 * is refused with the portal's own 404/403 and changes nothing; tampered links (B's RCA link
 * with A's ids, A's portal link with B's), links of a deleted contact and of an unknown customer
 * open nothing; and no response to A's links carries B's name, contact, incident title,
 * reference or ids.
 */
describe('customer portal isolation between customers', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;
  let links: SignedLinks;
  let commander: string;
  let alpha: Customer;
  let beta: Customer;
  let onlyA: Incident;
  let onlyB: Incident;
  let both: Incident;
  /** Impacts both customers and stays open: B escalates it from B's portal. */
  let bothOpen: Incident;
  let breachA: Incident;
  /** `/portal/<token>` of each customer's contact, from its notice mail. */
  let portalA: string;
  let portalB: string;
  /** The RCA link B's contact was mailed for B's incident: `/rca/<token>`. */
  let rcaLinkB: string;
  /** A support request of B, submitted through B's portal. */
  let supportRefB: string;

  /** Everything a response to A's links may never contain. */
  let betaMarkers: string[];
  /** Responses to A's links (and to links tampered towards B), checked for B's data. */
  const checked: string[] = [];

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: sink.url, PUBLIC_BASE_URL: BASE } });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
    links = t.app.get(SignedLinks);
    commander = (await staffWithToken(t, ['commander'])).auth;
    const edi = await createService(t, 'alpha-edi', 'EDI translator');
    const customs = await createService(t, 'beta-customs', 'Customs filing');
    const as2 = await createService(t, 'as2-gateway', 'AS2 gateway');
    alpha = await customer('Alpha Retail Ltd', 'Alpha operations lead', 'ops@alpha-retail.example.com', [
      edi.id,
      as2.id,
    ]);
    beta = await customer('Beta Freight GmbH', 'Beta dispatch lead', 'dispatch@beta-freight.example.net', [
      customs.id,
      as2.id,
    ]);
    onlyA = await incident({ title: 'EDI translator stalls on large batches', serviceIds: [edi.id] });
    onlyB = await incident({ title: 'Customs declarations rejected at filing', serviceIds: [customs.id] });
    both = await incident({ title: 'AS2 gateway rejects inbound messages', serviceIds: [as2.id] });
    bothOpen = await incident({ title: 'AS2 gateway answers slowly', severity: 3, serviceIds: [as2.id] });
    breachA = await incident({
      title: 'Credential leak in the EDI key store',
      kind: 'security_breach',
      severity: 1,
      serviceIds: [edi.id],
    });
    for (const i of [onlyA, onlyB, both, bothOpen, breachA]) await notify(i.id);
    await worker.drain();
    portalA = mailedLink(alpha, 'portal');
    portalB = mailedLink(beta, 'portal');

    // B's RCA, mailed to B's contact; and the shared incident's RCA, shown on both portals.
    await resolveAndPublishRca(onlyB.id, true);
    await resolveAndPublishRca(both.id, false);
    await worker.drain();
    rcaLinkB = mailedLink(beta, 'rca');

    const form = await t.http.get(`${portalB}/support`).expect(200);
    const submitted = await t.http
      .post(`${portalB}/support`)
      .type('form')
      .send({
        _form: nonce(form.text, 'support-form'),
        contactName: 'Beta dispatch lead',
        contactEmail: 'dispatch@beta-freight.example.net',
        description: 'Customs declarations bounce since this morning.',
      })
      .expect(303);
    supportRefB = /SR-\d{4}-\d{6}/.exec(submitted.headers.location)![0];

    // What B's contact does on the incidents both customers share: A's pages of them must not
    // show it (the requester's name is on the customer's own pages).
    const sharedB = await t.http.get(`${portalB}/incidents/${both.reference}`).expect(200);
    await t.http
      .post(`${portalB}/incidents/${both.reference}/rca-request`)
      .type('form')
      .send({ _form: nonce(sharedB.text, 'rca-form') })
      .expect(303);
    const openB = await t.http.get(`${portalB}/incidents/${bothOpen.reference}`).expect(200);
    await t.http
      .post(`${portalB}/incidents/${bothOpen.reference}/escalation`)
      .type('form')
      .send({ _form: nonce(openB.text, 'escalate-form'), reason: 'Beta trucks wait at the border' })
      .expect(303);
    const openBAfter = await t.http.get(`${portalB}/incidents/${bothOpen.reference}`).expect(200);
    expect(openBAfter.text).toContain('Beta dispatch lead (Beta Freight GmbH)');

    betaMarkers = [
      beta.name,
      beta.id,
      beta.contacts[0].id,
      beta.contacts[0].name,
      beta.contacts[0].email,
      onlyB.title,
      onlyB.reference,
      onlyB.id,
      supportRefB,
      'Beta trucks wait at the border',
      // Not B's, but confidential: A's own pages never show the breach's title.
      breachA.title,
    ];
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  async function customer(name: string, contactName: string, email: string, serviceIds: string[]) {
    const res = await t.http
      .post('/api/v1/customers')
      .set('Authorization', t.admin)
      .send({ name, language: 'en', serviceIds, contacts: [{ name: contactName, email }] })
      .expect(201);
    return res.body as Customer;
  }

  async function incident(body: Record<string, unknown>): Promise<Incident> {
    const created = await declareIncident(t, commander, { severity: 2, ...body });
    return { id: created.id, reference: created.reference, title: body.title as string };
  }

  /** Impact defined and the first notice approved: it goes to every impacted customer's contacts. */
  async function notify(incidentId: string) {
    await t.http.post(`/api/v1/incidents/${incidentId}/impact`).set('Authorization', commander).expect(200);
    const notices = await t.http
      .get(`/api/v1/incidents/${incidentId}/notifications`)
      .set('Authorization', commander)
      .expect(200);
    await t.http
      .put(`/api/v1/incidents/${incidentId}/notifications/${notices.body.items[0].id}`)
      .set('Authorization', commander)
      .send({ actions: 'Our engineers are on it.' })
      .expect(200);
    await t.http
      .post(`/api/v1/incidents/${incidentId}/notifications/${notices.body.items[0].id}/approve`)
      .set('Authorization', commander)
      .expect(200);
  }

  /** The path of the first portal or RCA link the SMTP server received for the customer's contact. */
  function mailedLink(c: Customer, kind: 'portal' | 'rca'): string {
    const pattern = new RegExp(`${BASE}(/${kind}/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`);
    const found = sink
      .to(c.contacts[0].email)
      .map((m) => pattern.exec(m.parsed.text ?? '')?.[1])
      .find((link): link is string => !!link);
    expect(found).toBeDefined();
    return found!;
  }

  async function resolveAndPublishRca(incidentId: string, sendToImpactedCustomers: boolean) {
    await t.http
      .post(`/api/v1/incidents/${incidentId}/resolve`)
      .set('Authorization', commander)
      .send({ summary: 'Fixed.', customerMessage: 'The service is back to normal.' })
      .expect(200);
    await publishRca(t, incidentId, {
      sendToImpactedCustomers,
      actionTitle: 'Alert earlier',
      texts: {
        failureCauses: 'No alert on the failing component.',
        rootCauses: 'A configuration change went out untested.',
      },
    });
  }

  /** The `_form` nonce of the form with this id in a portal page. */
  function nonce(html: string, formId: string): string {
    return /name="_form" value="([^"]+)"/.exec(html.slice(html.indexOf(`id="${formId}"`)))![1];
  }

  /** A response's body as text (PDFs as bytes read as UTF-8) and where it redirects. */
  function bodyOf(res: Response): string {
    const body: unknown = res.body;
    const text = res.text ?? (Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? ''));
    return `${res.headers.location ?? ''}\n${text}`;
  }

  /** Checks that the response carries nothing of B (nor the breach's title), and records it. */
  function clean(call: string, res: Response): Response {
    const body = bodyOf(res);
    const found = betaMarkers.filter((marker) => body.includes(marker));
    if (found.length) throw new Error(`${call} → ${res.status} shows ${found.join(', ')}`);
    checked.push(call);
    return res;
  }

  const getA = async (path: string, status: number, headers: Record<string, string> = {}) =>
    clean(`GET ${path}`, await t.http.get(path).set(headers).expect(status));

  const postA = async (path: string, body: Record<string, string>, status: number) =>
    clean(`POST ${path}`, await t.http.post(path).type('form').send(body).expect(status));

  /** Base64url JSON payload of a link token, edited, with the original signature kept. */
  function tampered(link: string, edit: (claims: Record<string, unknown>) => void): string {
    const [prefix, token] = [link.slice(0, link.lastIndexOf('/') + 1), link.slice(link.lastIndexOf('/') + 1)];
    const [payload, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    edit(claims);
    return `${prefix}${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
  }

  it('lists only the incidents of the link’s customer, the breach under its reference only', async () => {
    const home = await getA(portalA, 200);
    expect(home.text).toContain(onlyA.reference);
    expect(home.text).toContain(both.reference);
    expect(home.text).toContain(breachA.reference);
    expect(home.text).toContain('Security incident');
    expect(home.text).toContain(alpha.name);

    // And the other way round: B sees its own and the shared one, nothing of A.
    const homeB = await t.http.get(portalB).expect(200);
    expect(homeB.text).toContain(onlyB.reference);
    expect(homeB.text).toContain(both.reference);
    for (const marker of [
      alpha.name,
      onlyA.reference,
      onlyA.title,
      breachA.reference,
      alpha.contacts[0].name,
    ]) {
      expect(homeB.text).not.toContain(marker);
    }

    // The shared incident's page and its RCA (customer edition) name neither B nor B's contact.
    const shared = await getA(`${portalA}/incidents/${both.reference}`, 200);
    expect(shared.text).toContain(both.title);
    // B's contact asked for this RCA; A never did, so A's page shows no request state at all.
    expect(shared.text).not.toContain('data-rca-status');
    const rcaHref = /href="(\/rca\/[^"?]+)"/.exec(shared.text)![1];
    const edition = await getA(`${rcaHref}?format=html`, 200);
    expect(edition.text).toContain(both.reference);
    const pdf = await getA(rcaHref, 200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // The PDF's text, not its compressed bytes, is what must not name B.
    const text = flat(await pdfText(pdf.body as Buffer)).text;
    expect(text).toContain(both.reference);
    expect(text).toContain(alpha.name);
    expect(betaMarkers.filter((marker) => text.includes(marker))).toEqual([]);

    // B's escalation of the open shared incident is B's: A's page of it lists none.
    const open = await getA(`${portalA}/incidents/${bothOpen.reference}`, 200);
    expect(open.text).toContain(bothOpen.title);
    expect(open.text).toContain('escalate-form');
    expect(open.text).not.toContain('Escalated at the request of');
  });

  it('answers B’s incident, by reference, by id or by a crafted path, with the page of a reference that does not exist', async () => {
    const before = await fullDbSnapshot(t.db);
    const missing = await getA(`${portalA}/incidents/INC-2026-99999`, 404);
    for (const path of [
      `/incidents/${onlyB.reference}`,
      `/incidents/${onlyB.reference}/`,
      `/incidents/${onlyB.reference.toLowerCase()}`,
      `/incidents/${onlyB.id}`,
      `/incidents/${encodeURIComponent(onlyB.reference)}`,
      `/incidents/${onlyB.reference}?format=html&lang=en`,
      `/incidents/${onlyA.reference}/../${onlyB.reference}`,
      `/incidents/${onlyB.reference}/rca-request`,
      `/incidents/${onlyB.reference}/escalation`,
    ]) {
      const res = await getA(`${portalA}${path}`, 404);
      if (!path.includes('lang=')) expect({ path, body: res.text }).toEqual({ path, body: missing.text });
    }
    expect(await fullDbSnapshot(t.db)).toEqual(before);
  });

  it('neither requests nor downloads B’s RCA with A’s link, nor with B’s RCA link turned to A', async () => {
    const own = await getA(`${portalA}/incidents/${onlyA.reference}`, 200);
    const rcaNonce = nonce(own.text, 'rca-form');
    const before = await fullDbSnapshot(t.db);

    await postA(`${portalA}/incidents/${onlyB.reference}/rca-request`, { _form: rcaNonce }, 404);
    await postA(`${portalA}/incidents/${onlyB.id}/rca-request`, { _form: rcaNonce }, 404);

    // B's own link works for B (not a response to A: not checked for B's data).
    const genuine = await t.http.get(rcaLinkB).expect(200);
    expect(genuine.headers['content-type']).toBe('application/pdf');

    // B's link with A's customer and contact: the signature no longer matches.
    const turned = tampered(rcaLinkB, (c) => {
      c.customerId = alpha.id;
      c.contactId = alpha.contacts[0].id;
    });
    const refused = await getA(turned, 403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'link.invalid' });
    await getA(`${turned}?format=html`, 403);
    const page = await getA(turned, 403, { Accept: 'text/html' });
    expect(page.text).toContain('Link refused');

    // A's genuine RCA link of the shared incident, pointed at B's incident: refused the same way.
    const shared = await getA(`${portalA}/incidents/${both.reference}`, 200);
    const rcaA = /href="(\/rca\/[^"?]+)"/.exec(shared.text)![1];
    const moved = tampered(rcaA, (c) => {
      c.incidentId = onlyB.id;
    });
    expect((await getA(moved, 403)).body).toMatchObject({ code: 'link.invalid' });
    // A's portal token where an RCA token is expected: another purpose, refused.
    expect((await getA(`/rca/${portalA.replace('/portal/', '')}`, 403)).body).toMatchObject({
      code: 'link.invalid',
    });

    expect(await fullDbSnapshot(t.db)).toEqual(before);
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM rca_requests WHERE incident_id = $1 AND customer_id = $2`,
      [onlyB.id, alpha.id],
    );
    expect(count).toBe(0);
  });

  it('does not escalate B’s incident from A’s link, even with a valid form nonce of A', async () => {
    const own = await getA(`${portalA}/incidents/${onlyA.reference}`, 200);
    const escalateNonce = nonce(own.text, 'escalate-form');
    const before = await fullDbSnapshot(t.db);
    for (const target of [onlyB.reference, onlyB.id]) {
      await postA(
        `${portalA}/incidents/${target}/escalation`,
        { reason: 'Blocked, please escalate', _form: escalateNonce },
        404,
      );
    }
    expect(await fullDbSnapshot(t.db)).toEqual(before);
    const rows = await t.db.query(
      `SELECT type FROM incident_timeline WHERE incident_id = $1 AND type LIKE 'incident.escalat%'`,
      [onlyB.id],
    );
    expect(rows).toEqual([]);
  });

  it('files a support request that names B’s incident under A only, and never shows B’s request', async () => {
    const before = await fullDbSnapshot(t.db);
    const missing = await getA(`${portalA}/support/SR-2026-999999`, 404);
    const foreign = await getA(`${portalA}/support/${supportRefB}`, 404);
    expect(foreign.text).toBe(missing.text);
    const form = await getA(`${portalA}/support`, 200);
    const supportNonce = nonce(form.text, 'support-form');
    await postA(`${portalA}/incidents/${onlyB.reference}/support`, { _form: supportNonce }, 404);
    expect(await fullDbSnapshot(t.db)).toEqual(before);

    // The form has no incident or company field: B's ids posted next to it are dropped, the
    // request is A's (customer, contact, company) and linked to no incident.
    const sent = await postA(
      `${portalA}/support`,
      {
        _form: supportNonce,
        contactName: 'Alpha operations lead',
        contactEmail: alpha.contacts[0].email,
        description: 'Our partner Beta reports the same problem as their incident.',
        company: beta.name,
        customerId: beta.id,
        contactId: beta.contacts[0].id,
        incidentId: onlyB.id,
        incidentReference: onlyB.reference,
      },
      303,
    );
    const reference = /SR-\d{4}-\d{6}/.exec(sent.headers.location)![0];
    await getA(sent.headers.location, 200);
    const [row] = await t.db.query(
      `SELECT company, customer_id, contact_id, incident_id FROM support_requests WHERE reference = $1`,
      [reference],
    );
    expect(row).toEqual({
      company: alpha.name,
      customer_id: alpha.id,
      contact_id: alpha.contacts[0].id,
      incident_id: null,
    });
  });

  it('refuses A’s portal link turned to B, and validly signed links naming a customer and a contact that do not belong together', async () => {
    const forged = await getA(`${portalA.slice(0, -2)}${portalA.endsWith('AA') ? 'BB' : 'AA'}`, 403);
    const turned = [
      tampered(portalA, (c) => {
        c.customerId = beta.id;
      }),
      tampered(portalA, (c) => {
        c.customerId = beta.id;
        c.contactId = beta.contacts[0].id;
      }),
    ];
    // Signed with the real key (as a bug elsewhere might): the contact check still holds.
    const mismatched = [
      links.portalUrl(beta.id, alpha.contacts[0].id),
      links.portalUrl(alpha.id, beta.contacts[0].id),
    ].map((url) => url.replace(BASE, ''));
    const before = await fullDbSnapshot(t.db);
    for (const link of [...turned, ...mismatched]) {
      for (const path of ['', `/incidents/${onlyB.reference}`, `/support/${supportRefB}`]) {
        const res = await getA(`${link}${path}`, 403);
        expect(res.text).toBe(forged.text);
      }
      await postA(`${link}/incidents/${onlyB.reference}/escalation`, { reason: 'x' }, 403);
    }
    expect(await fullDbSnapshot(t.db)).toEqual(before);
  });

  it('refuses the link of a contact since deleted, and one whose customer is unknown', async () => {
    const added = await t.http
      .post(`/api/v1/customers/${alpha.id}/contacts`)
      .set('Authorization', commander)
      .send({ name: 'Alpha night shift', email: 'night@alpha-retail.example.com' })
      .expect(201);
    const contactLink = links.portalUrl(alpha.id, added.body.id).replace(BASE, '');
    expect((await getA(contactLink, 200)).text).toContain('Alpha night shift');
    // The API has no contact deletion: an operator removes the row (it has no history yet).
    await t.db.query(`DELETE FROM customer_contacts WHERE id = $1`, [added.body.id]);
    const refused = await getA(contactLink, 403);
    expect(refused.text).not.toContain('Alpha night shift');
    expect(refused.text).not.toContain(alpha.name);
    await getA(`${contactLink}/incidents/${onlyA.reference}`, 403);
    await getA(`${contactLink}/incidents/${onlyB.reference}`, 403);

    const unknown = links.portalUrl(randomUUID(), alpha.contacts[0].id).replace(BASE, '');
    const unknownBoth = links.portalUrl(randomUUID(), randomUUID()).replace(BASE, '');
    for (const link of [unknown, unknownBoth]) {
      const res = await getA(link, 403);
      expect(res.text).toBe(refused.text);
      expect(res.text).not.toContain(alpha.name);
      await getA(`${link}/incidents/${onlyA.reference}`, 403);
    }

    // No deactivation exists besides "receivesNotices: false", which stops notices only: the
    // contact still belongs to A, so its link still opens A's portal, and A's only.
    await t.http
      .patch(`/api/v1/customers/${alpha.id}/contacts/${alpha.contacts[0].id}`)
      .set('Authorization', commander)
      .send({ receivesNotices: false })
      .expect(200);
    expect((await getA(portalA, 200)).text).toContain(onlyA.reference);
    await getA(`${portalA}/incidents/${onlyB.reference}`, 404);
  });

  it('showed none of B’s data in any response to A’s links', () => {
    expect(checked.length).toBeGreaterThan(40);
  });
});
