import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { RelayRateLimiter } from '../../src/delivery/relay-rate-limiter';
import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

describe('security-breach notices and the cluster-wide relay rate', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: sink.url, RELAY_RATE_PER_SECOND: '10' } });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('sends breach notices with the approved text only: no title, no services, no internal summary', async () => {
    const commander = await staffWithToken(t, ['commander']);
    const portal = await createService(t, 'portal', 'Customer portal');
    await t.http
      .post('/api/v1/customers')
      .set('Authorization', t.admin)
      .send({
        name: 'Pharmacie Centrale Exemple',
        language: 'fr',
        serviceIds: [portal.id],
        contacts: [{ name: 'Directrice des systèmes d’information', email: 'dsi@pharma.example.net' }],
      })
      .expect(201);
    const incident = await declareIncident(t, commander.auth, {
      title: 'SQL injection in portal search exposed session table',
      summary: 'Attacker IP 203.0.113.7 used the unpatched search endpoint',
      kind: 'security_breach',
      severity: 1,
      serviceIds: [portal.id],
    });
    await t.http
      .post(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);
    const [initial] = (
      await t.http.get(`/api/v1/incidents/${incident.id}/notifications`).set('Authorization', commander.auth)
    ).body.items;
    await t.http
      .put(`/api/v1/incidents/${incident.id}/notifications/${initial.id}`)
      .set('Authorization', commander.auth)
      .send({ message: 'Par précaution, nous avons réinitialisé les sessions du portail client.' })
      .expect(200);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/notifications/${initial.id}/approve`)
      .set('Authorization', commander.auth)
      .expect(200);
    await worker.drain();

    const [mail] = sink.to('dsi@pharma.example.net');
    expect(mail.parsed.subject).toBe(`[${incident.reference}] Notification d’incident de sécurité`);
    const everything = `${mail.parsed.subject}\n${mail.parsed.text}\n${mail.parsed.html}`;
    expect(everything).toContain('Par précaution, nous avons réinitialisé les sessions du portail client.');
    for (const secret of ['SQL injection', 'session table', '203.0.113.7', 'Customer portal', 'unpatched']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('lets no more than RELAY_RATE_PER_SECOND messages through per second, whoever asks', async () => {
    const limiter = t.app.get(RelayRateLimiter);
    const relay = 'smtp://relay.example.net:587';
    expect(await limiter.take(relay, 4)).toBe(4);
    expect(await limiter.take(relay, 100)).toBe(6);
    expect(await limiter.take(relay, 100)).toBe(0);
    t.clock.advance(500);
    expect(await limiter.take(relay, 100)).toBe(5);
    t.clock.advance(60_000);
    // The bucket holds at most one second's worth.
    expect(await limiter.take(relay, 100)).toBe(10);
  });
});
