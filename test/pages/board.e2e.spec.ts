/// <reference lib="dom" />
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import {
  launchBrowser,
  overflowsHorizontally,
  screenshot,
  seriousAxeViolations,
  TestBrowser,
} from '../support/browser';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The commanders' board in real Chromium, fed by server-sent events: a delivery worker running
 * as a separate application instance (its own connections, TOCSIN_ROLE=worker) sends the first
 * notices to a real SMTP server, and the board's counters move without a reload because the
 * worker's NOTIFY reaches the board's LISTEN connection.
 */
describe('incident board (browser, SSE, LISTEN/NOTIFY)', () => {
  let t: TestApp;
  let workerApp: TestApp;
  let sink: SmtpSink;
  let browser: TestBrowser;
  let page: Page;
  let base: string;
  let commander: { auth: string; staffId: string; name: string };
  let incident: { id: string; reference: string };
  let breach: { reference: string };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: sink.url, TOCSIN_ROLE: 'api' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = await t.app.getUrl();
    workerApp = await startTestApp({
      databaseUrl: t.databaseUrl,
      clock: t.clock,
      env: { SMTP_URL: sink.url, TOCSIN_ROLE: 'worker' },
    });
    workerApp.app.get(DeliveryWorker).useRelay(sink.url);
    browser = await launchBrowser();
    page = await browser.page();

    commander = await staffWithToken(t, ['commander']);
    const as2 = await createService(t, 'as2-gateway', 'AS2 gateway');
    for (const [name, emails] of [
      ['Transports Exemple SA', ['exploitation@transports.example.com', 'edi@transports.example.com']],
      ['Example Retail Ltd', ['it-ops@retail.example.com']],
    ] as const) {
      await t.http
        .post('/api/v1/customers')
        .set('Authorization', t.admin)
        .send({
          name,
          language: 'en',
          serviceIds: [as2.id],
          contacts: emails.map((email, i) => ({ name: `Operations contact ${i + 1}`, email })),
        })
        .expect(201);
    }
    incident = await declareIncident(t, commander.auth, { severity: 1, serviceIds: [as2.id] });
    breach = await declareIncident(t, t.admin, {
      title: 'Credential leak on the SFTP jump host',
      kind: 'security_breach',
      severity: 1,
    });
    await t.http
      .post(`/api/v1/incidents/${incident.id}/impact`)
      .set('Authorization', commander.auth)
      .expect(200);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await workerApp?.close();
    await t?.close();
    await sink?.stop();
  });
  afterEach(() => {
    expect(browser.problems.splice(0)).toEqual([]);
  });

  const count = (name: string) =>
    page.locator(`#card-${incident.reference} [data-count="${name}"]`).innerText();
  const waitForCount = (name: string, value: string) =>
    page.waitForFunction(
      ([ref, n, v]) => document.querySelector(`#card-${ref} [data-count="${n}"]`)?.textContent === v,
      [incident.reference, name, value] as const,
      { timeout: 10_000 },
    );

  it('asks for the staff token and keeps it in an HttpOnly, SameSite=Strict cookie', async () => {
    await page.goto(`${base}/board`);
    expect(new URL(page.url()).pathname).toBe('/board/login');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'board-login', { docs: true });

    await page.getByLabel('Access token').fill('tcs_not-a-real-token-000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#login-error');
    expect(await page.locator('#login-error').innerText()).toContain('not valid');
    expect(browser.problems.splice(0)).toEqual([expect.stringContaining('401')]);

    await page.getByLabel('Access token').fill(commander.auth.replace('Bearer ', ''));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/board`);
    const [cookie] = await browser.context.cookies(base + '/board');
    expect(cookie).toMatchObject({
      name: 'tocsin_board',
      httpOnly: true,
      sameSite: 'Strict',
      path: '/board',
      secure: false,
    });
    expect(await page.locator('h1').innerText()).toBe('Incident board');
  });

  it('shows open incidents with first-notice progress and clocks, never a confidential one it may not see', async () => {
    await page.waitForFunction(() => document.getElementById('board')?.dataset.live === 'connected');
    expect(await page.locator('.card').count()).toBe(1);
    expect(await page.locator('main').innerText()).not.toContain(breach.reference);
    expect(await count('accepted')).toBe('0');
    expect(await count('pending')).toBe('3');
    expect(await count('total')).toBe('3');
    const card = page.locator(`#card-${incident.reference}`);
    // The clocks tick in the browser against the server's (fake) time.
    expect(await card.innerText()).toMatch(/Target \(20 min\)\s+10:20 CET in (20:00|19:5\d)/);
    expect(await card.innerText()).toMatch(/Deadline \(30 min\)\s+10:30 CET in (30:00|29:5\d)/);
    expect(await card.locator('svg.chart polyline.accepted').count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('moves the counters live when a worker in another application instance gets deliveries accepted', async () => {
    const notices = await t.http
      .get(`/api/v1/incidents/${incident.id}/notifications`)
      .set('Authorization', commander.auth)
      .expect(200);
    t.clock.advanceMinutes(4);
    await t.http
      .post(`/api/v1/incidents/${incident.id}/notifications/${notices.body.items[0].id}/approve`)
      .set('Authorization', commander.auth)
      .expect(200);
    // The approval commits a NOTIFY too: the next update is now due.
    await page.waitForSelector(
      `#card-${incident.reference} .clocks time[datetime="2026-03-02T09:34:00.000Z"]`,
      {
        timeout: 10_000,
      },
    );

    sink.rejectAddresses.add('edi@transports.example.com');
    t.clock.advanceMinutes(1);
    expect(await workerApp.app.get(DeliveryWorker).drain()).toBe(3);
    expect(sink.received).toHaveLength(2);

    await waitForCount('accepted', '2');
    expect(await count('failed')).toBe('1');
    expect(await count('pending')).toBe('0');
    const progress = page.locator(`#card-${incident.reference} progress`);
    expect(await progress.getAttribute('value')).toBe('2');
    expect(await page.locator(`#card-${incident.reference} svg.chart title`).textContent()).toContain(
      '2 of 3; 2 by the target, 2 by the deadline',
    );
    expect(await page.locator(`#card-${incident.reference}`).innerText()).toMatch(
      /Response target\s+\S+ CET met/,
    );
    expect(Number(await page.locator('#board').getAttribute('data-snapshots'))).toBeGreaterThanOrEqual(2);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'board', { docs: true });
  });

  it('picks up a change committed by any other connection (LISTEN/NOTIFY), only at commit', async () => {
    const other = new Client({ connectionString: t.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE incidents SET next_update_due_at = '2026-03-02T11:00:00Z' WHERE id = $1`, [
        incident.id,
      ]);
      await other.query(`SELECT pg_notify('tocsin_changes', $1)`, [
        JSON.stringify({ incidentId: incident.id, kind: 'test.external' }),
      ]);
      // Let snapshots still due from earlier changes arrive (debounce + throttle), then count.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const before = await page.locator('#board').getAttribute('data-snapshots');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await page.locator('#board').getAttribute('data-snapshots')).toBe(before);
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    await page.waitForSelector(`#card-${incident.reference} time[datetime="2026-03-02T11:00:00.000Z"]`, {
      timeout: 10_000,
    });
  });

  it('refuses the event stream without a session and fits a phone screen', async () => {
    await t.http.get('/board/events').expect(401);
    await t.http.get('/board').expect(303).expect('location', '/board/login');
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'board-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out: the cookie is cleared', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/board/login`);
    expect(await browser.context.cookies(base + '/board')).toEqual([]);
  });

  it('takes the cards off the screen when the session ends elsewhere (token revoked)', async () => {
    const nightShift = await staffWithToken(t, ['commander'], 'night-commander');
    await page.goto(`${base}/board/login`);
    await page.getByLabel('Access token').fill(nightShift.auth.replace('Bearer ', ''));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(() => document.getElementById('board')?.dataset.live === 'connected');
    expect(await page.locator('.card').count()).toBe(1);

    await t.http.delete(`/api/v1/tokens/${nightShift.tokenId}`).set('Authorization', t.admin).expect(204);
    await page.waitForFunction(() => document.getElementById('board')?.dataset.live === 'ended', undefined, {
      timeout: 10_000,
    });
    expect(await page.locator('.card').count()).toBe(0);
    expect(await page.locator('#live-status').innerText()).toContain('Sign in again');
    // The browser's attempt to resume the stream was refused.
    expect(browser.problems.splice(0)).toEqual([expect.stringContaining('401')]);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
