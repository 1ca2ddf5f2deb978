/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import {
  launchBrowser,
  overflowsHorizontally,
  parseXmlInPage,
  screenshot,
  seriousAxeViolations,
  TestBrowser,
} from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The public status page in real Chromium: a service is degraded while a non-confidential
 * incident is open and operational once it is resolved; a confidential (security breach)
 * incident never shows, in the page, its incident page or the feed; the feed is Atom 1.0.
 */
describe('public status page (browser)', () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let base: string;
  let commander: { auth: string };
  let as2: { id: string };
  let sftp: { id: string };
  const customerName = 'Transports Exemple SA';

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
    page = await browser.page();
    commander = await staffWithToken(t, ['commander']);
    as2 = await createService(t, 'as2-gateway', 'AS2 gateway');
    sftp = await createService(t, 'sftp', 'SFTP');
    await t.http
      .post('/api/v1/customers')
      .set('Authorization', t.admin)
      .send({
        name: customerName,
        language: 'fr',
        serviceIds: [as2.id, sftp.id],
        contacts: [{ name: 'Head of operations', email: 'ops@transports.example.com' }],
      })
      .expect(201);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(browser.problems.splice(0)).toEqual([]);
  });

  const stateOf = (service: string) =>
    page.locator(`[data-service="${service}"] .service-head .state`).innerText();

  async function expectAccessible(name: string, docs = false) {
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, name, { docs });
  }

  it('shows every service operational when nothing is open', async () => {
    await page.goto(`${base}/status`);
    expect(await page.locator('h1').innerText()).toBe('Service status');
    expect(await stateOf('AS2 gateway')).toBe('Operational');
    expect(await stateOf('SFTP')).toBe('Operational');
    expect(await page.locator('.overall').innerText()).toContain('All services are operating normally.');
    await expectAccessible('status-operational');
  });

  let incident: { id: string; reference: string };
  let breach: { id: string; reference: string };

  it('shows the service degraded while an incident is open, with its public updates and never a confidential incident', async () => {
    incident = await declareIncident(t, commander.auth, {
      title: 'AS2 gateway rejects <b>inbound</b> messages & MDNs',
      severity: 2,
      serviceIds: [as2.id],
      summary: 'Internal: certificate rotation on node as2-02 went wrong',
    });
    breach = await declareIncident(t, commander.auth, {
      title: 'Credential leak on the SFTP jump host',
      kind: 'security_breach',
      severity: 1,
      serviceIds: [sftp.id],
    });
    await t.http
      .post(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);
    const notices = await t.http
      .get(`/api/v1/incidents/${incident.id}/notifications`)
      .set('Authorization', commander.auth)
      .expect(200);
    await t.http
      .put(`/api/v1/incidents/${incident.id}/notifications/${notices.body.items[0].id}`)
      .set('Authorization', commander.auth)
      .send({ actions: 'Our engineers are restoring the certificate chain.' })
      .expect(200);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/notifications/${notices.body.items[0].id}/approve`)
      .set('Authorization', commander.auth)
      .expect(200);

    await page.goto(`${base}/status`);
    expect(await stateOf('AS2 gateway')).toBe('Degraded');
    expect(await stateOf('SFTP')).toBe('Operational');
    const text = await page.locator('main').innerText();
    expect(text).toContain('AS2 gateway rejects <b>inbound</b> messages & MDNs');
    expect(await page.locator('main b').count()).toBe(0);
    expect(text).not.toContain('Credential leak');
    expect(text).not.toContain(breach.reference);
    expect(text).not.toContain(customerName);
    expect(text).not.toContain('Internal:');
    await expectAccessible('status', true);

    await page.getByRole('link', { name: new RegExp(incident.reference) }).click();
    await page.waitForURL(`**/status/incidents/${incident.reference}`);
    const detail = await page.locator('main').innerText();
    expect(detail).toContain('Our engineers are restoring the certificate chain.');
    expect(detail).toContain('Incident reported');
    expect(detail).not.toContain(customerName);
    expect(detail).not.toContain('Internal:');
    await expectAccessible('status-incident', true);

    const hidden = await page.goto(`${base}/status/incidents/${breach.reference}`);
    expect(hidden?.status()).toBe(404);
    expect(await page.locator('main').innerText()).not.toContain('Credential leak');
    // Chromium logs the 404 we asked for as a console error.
    expect(browser.problems.splice(0)).toEqual([expect.stringContaining('404')]);
  });

  it('serves a valid, escaped Atom 1.0 feed without the confidential incident', async () => {
    const res = await t.http.get('/status/feed.atom').expect(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(res.text).not.toContain('<b>');
    expect(res.text).toContain('&lt;b&gt;');
    await page.goto(`${base}/status`);
    const feed = await parseXmlInPage(page, res.text);
    expect(feed.error).toBeNull();
    expect(feed).toMatchObject({ root: 'feed', namespace: 'http://www.w3.org/2005/Atom' });
    expect(feed.feed.id).toBe(`${t.config.publicBaseUrl}/status/feed.atom`);
    expect(feed.feed.selfLink).toBe(feed.feed.id);
    expect(new Date(feed.feed.updated!).toISOString()).toBe(feed.feed.updated);
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries[0]).toMatchObject({
      id: `urn:uuid:${incident.id}`,
      title: `${incident.reference} AS2 gateway rejects <b>inbound</b> messages & MDNs`,
      link: `${t.config.publicBaseUrl}/status/incidents/${incident.reference}`,
    });
    expect(feed.entries[0].summary).toContain('Our engineers are restoring the certificate chain.');
    expect(res.text).not.toContain('Credential leak');
    expect(res.text).not.toContain(customerName);
  });

  it('is operational again after resolution, with the day marked in the 90-day strip', async () => {
    t.clock.advanceMinutes(45);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/resolve`)
      .set('Authorization', commander.auth)
      .send({
        summary: 'Internal: chain restored on as2-02',
        customerMessage: 'The gateway accepts messages again.',
      })
      .expect(200);

    await page.goto(`${base}/status`);
    expect(await stateOf('AS2 gateway')).toBe('Operational');
    const strip = page.locator('[data-service="AS2 gateway"] svg.history');
    expect(await strip.locator('rect').count()).toBe(90);
    expect(await strip.locator('rect.day-degraded').count()).toBe(1);
    expect(await strip.locator('rect').last().getAttribute('class')).toBe('day-degraded');
    expect(await page.locator('[data-service="SFTP"] svg.history rect.day-operational').count()).toBe(90);
    const text = await page.locator('main').innerText();
    expect(text).toContain(incident.reference);
    expect(text).not.toContain('Internal:');

    await page.goto(`${base}/status/incidents/${incident.reference}`);
    expect(await page.locator('.update').first().innerText()).toContain(
      'The gateway accepts messages again.',
    );
    await expectAccessible('status-resolved');
  });

  it('speaks French and fits a phone screen', async () => {
    const phone = await browser.page({ width: 360, height: 740 });
    await phone.goto(`${base}/status?lang=fr`);
    expect(await phone.locator('html').getAttribute('lang')).toBe('fr');
    expect(await phone.locator('h1').innerText()).toBe('État des services');
    expect(await overflowsHorizontally(phone)).toBe(false);
    expect(await seriousAxeViolations(phone)).toEqual([]);
    await screenshot(phone, 'status-phone-fr');
    // Keyboard: the skip link comes first and leads to the content.
    await phone.keyboard.press('Tab');
    expect(await phone.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
    await phone.close();
  });
});
