import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { expectError } from '../support/api-assertions';
import { createCustomer, createService, declareIncident, staffWithToken } from '../support/fixtures';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

const METRICS_TOKEN = 'tcs_scrape-0123456789abcdef01234567';

/** The figures about the business: every tocsin_ line except prom-client's process defaults. */
function businessLines(scrape: string): string[] {
  return scrape
    .split('\n')
    .filter((line) => /^tocsin_/.test(line) && !/^tocsin_(process|nodejs)_/.test(line))
    .sort();
}

/** Declared, impact defined, first notice approved (with the text a breach needs), and sent. */
async function notifiedIncident(
  t: TestApp,
  worker: DeliveryWorker,
  auth: string,
  body: Record<string, unknown>,
): Promise<{ id: string; reference: string }> {
  const incident = await declareIncident(t, auth, body);
  await t.http.post(`/api/v1/incidents/${incident.id}/impact`).set('Authorization', auth).expect(200);
  const [initial] = (
    await t.http.get(`/api/v1/incidents/${incident.id}/notifications`).set('Authorization', auth).expect(200)
  ).body.items;
  await t.http
    .put(`/api/v1/incidents/${incident.id}/notifications/${initial.id}`)
    .set('Authorization', auth)
    .send({ message: 'As a precaution we have reset all customer sessions.' })
    .expect(200);
  await t.http
    .post(`/api/v1/incidents/${incident.id}/notifications/${initial.id}/approve`)
    .set('Authorization', auth)
    .expect(200);
  await worker.drain();
  return incident;
}

async function deliveriesOf(t: TestApp, incidentId: string): Promise<number> {
  const [row] = await t.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE incident_id = $1`, [
    incidentId,
  ]);
  return row.n;
}

describe('/metrics (README, "Operations")', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
  });
  afterAll(() => sink.stop());

  describe('without METRICS_TOKEN: public, without confidential incidents', () => {
    let t: TestApp;
    let worker: DeliveryWorker;
    let commander: string;
    let serviceId: string;
    let customer: { name: string; contacts: { email: string }[] };

    beforeAll(async () => {
      t = await startTestApp({ env: { SMTP_URL: sink.url } });
      worker = t.app.get(DeliveryWorker);
      worker.useRelay(sink.url);
      commander = (await staffWithToken(t, ['commander'])).auth;
      serviceId = (await createService(t, 'edi-gateway', 'EDI gateway')).id;
      customer = await createCustomer(t, [serviceId], 'en');
      // Figures to hide a breach among: an open, notified disruption.
      await notifiedIncident(t, worker, commander, { serviceIds: [serviceId], severity: 2 });
    });
    afterAll(() => t.close());

    const scrape = async () => (await t.http.get('/metrics').expect(200)).text;

    it('gives prom-client’s defaults one tocsin_ prefix', async () => {
      const text = await scrape();
      expect(text).toMatch(/^tocsin_process_cpu_seconds_total /m);
      expect(text).toMatch(/^tocsin_nodejs_heap_size_total_bytes /m);
      expect(text).not.toContain('tocsin_process_process_');
      expect(text).not.toMatch(/^(process|nodejs)_/m);
    });

    it('shows no figure that moves when a security breach is declared', async () => {
      const before = businessLines(await scrape());
      expect(before).toContain('tocsin_open_incidents{severity="2"} 1');
      const breach = await declareIncident(t, commander, {
        title: 'Credential stuffing on the EDI gateway login',
        kind: 'security_breach',
        severity: 1,
        serviceIds: [serviceId],
      });
      const after = await scrape();
      expect(businessLines(after)).toEqual(before);
      expect(after).not.toContain(breach.reference);
      // The gauges are live: an ordinary incident does show.
      await declareIncident(t, commander, { serviceIds: [serviceId], severity: 1 });
      expect(businessLines(await scrape())).toContain('tocsin_open_incidents{severity="1"} 1');
    });

    it('counts no delivery of a confidential incident, queued or sent, and no customer data', async () => {
      const before = businessLines(await scrape());
      const breach = await notifiedIncident(t, worker, commander, {
        title: 'Session tokens exposed in gateway logs',
        kind: 'security_breach',
        severity: 2,
        serviceIds: [serviceId],
      });
      // The breach did queue and send mail (its notice, staff alerts): none of it shows.
      expect(await deliveriesOf(t, breach.id)).toBeGreaterThan(0);
      expect(sink.to(customer.contacts[0].email).length).toBe(2);
      const after = await scrape();
      expect(businessLines(after)).toEqual(before);
      for (const secret of [breach.reference, customer.name, customer.contacts[0].email, 'Session tokens']) {
        expect(after).not.toContain(secret);
      }
    });
  });

  describe('with METRICS_TOKEN: for the token’s holder, every incident counted', () => {
    let t: TestApp;
    let worker: DeliveryWorker;
    let commander: string;
    let breachId: string;

    beforeAll(async () => {
      t = await startTestApp({ env: { SMTP_URL: sink.url, METRICS_TOKEN } });
      worker = t.app.get(DeliveryWorker);
      worker.useRelay(sink.url);
      commander = (await staffWithToken(t, ['commander'])).auth;
      const service = await createService(t, 'sftp-drop', 'SFTP drop');
      await createCustomer(t, [service.id], 'en');
      const breach = await notifiedIncident(t, worker, commander, {
        title: 'Unknown key added to the SFTP drop',
        kind: 'security_breach',
        severity: 1,
        serviceIds: [service.id],
      });
      breachId = breach.id;
    });
    afterAll(() => t.close());

    it('answers 401 without the token, with a wrong one, or with a staff token', async () => {
      for (const auth of [
        undefined,
        'Bearer tcs_scrape-0123456789abcdef01234568',
        `Bearer ${METRICS_TOKEN.slice(0, -1)}`,
        METRICS_TOKEN,
        t.admin,
        commander,
      ]) {
        const req = t.http.get('/metrics');
        if (auth !== undefined) req.set('Authorization', auth);
        const res = await req;
        expectError(res, 401, 'unauthenticated');
        expect(res.text).not.toContain('tocsin_');
      }
    });

    it('shows the full figures, confidential incidents included, to the token', async () => {
      const res = await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const lines = businessLines(res.text);
      expect(lines).toContain('tocsin_open_incidents{severity="1"} 1');
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM deliveries WHERE incident_id = $1 AND kind = 'initial' AND status = 'accepted'`,
        [breachId],
      );
      expect(n).toBe(1);
      expect(lines).toContain('tocsin_deliveries{kind="initial",status="accepted"} 1');
      expect(lines).toContain('tocsin_first_notice_contacts{timeliness="before_target"} 1');
      expect(res.text).toMatch(/^tocsin_process_cpu_seconds_total /m);
      // The scheme's case does not matter, as for staff tokens.
      await t.http.get('/metrics').set('Authorization', `bearer ${METRICS_TOKEN}`).expect(200);
    });
  });
});
