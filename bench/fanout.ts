import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import { DeliveryWorker } from '../src/delivery/delivery-worker';
import { MailRenderer } from '../src/delivery/templates/mail-renderer';
import { benchDatabase, flag, memoryPeak, startSink } from './support';

/**
 * `npm run bench:fanout [-- --contacts 10000 --pool 5]`: N impacted contacts, from defining
 * impact and approving the first notice to every delivery accepted by a loopback SMTP sink,
 * against bare nodemailer sending the same rendered notice N times to the same sink (same pool
 * size), and the raw loopback ceiling (postfix smtp-source) when installed.
 * Last line: one JSON object; `ratio` = ours ÷ bare nodemailer (higher is better).
 */
async function main(): Promise<void> {
  const contacts = flag('contacts', 10_000);
  const pool = flag('pool', 5);
  const sink = await startSink();
  const database = await benchDatabase();
  const memory = memoryPeak();
  try {
    const config = loadConfig({
      LOG_LEVEL: 'warn',
      SMTP_URL: sink.url,
      SMTP_POOL_SIZE: String(pool),
      TICK_INTERVAL_MS: '0',
      TOCSIN_ADMIN_TOKEN: 'tcs_bench-admin-token-0123456789abcdef',
      RATE_LIMIT_PER_MINUTE: '1000000',
      DELIVERY_BATCH_SIZE: '500',
    });
    const renderer = new MailRenderer(config);

    const baseline = await bareNodemailer(sink.url, pool, contacts, renderer, config.mail.from);
    console.log(
      `bare nodemailer:  ${contacts} messages in ${baseline.seconds.toFixed(2)} s = ${baseline.perSecond.toFixed(0)} msg/s`,
    );

    const ceiling = rawCeiling(sink.port, contacts);
    if (ceiling)
      console.log(
        `raw SMTP ceiling: ${contacts} messages in ${ceiling.seconds.toFixed(2)} s = ${ceiling.perSecond.toFixed(0)} msg/s (smtp-source)`,
      );

    const ours = await tocsin(config, database.url, sink.url, contacts);
    console.log(
      `tocsin fan-out:   ${ours.accepted}/${contacts} accepted in ${ours.seconds.toFixed(2)} s = ${ours.perSecond.toFixed(0)} msg/s (of which define + approve + ledger rows ${ours.queuedSeconds.toFixed(2)} s; setup ${ours.setupSeconds.toFixed(1)} s not counted)`,
    );
    const sinkCount = sink.count();
    if (sinkCount !== undefined)
      console.log(`sink counted ${sinkCount} messages (expected ${contacts * (ceiling ? 2 : 2)})`);
    const result = {
      bench: 'fanout',
      contacts,
      pool,
      sink: sink.kind,
      seconds: round(ours.seconds),
      perSecond: round(ours.perSecond),
      accepted: ours.accepted,
      baselinePerSecond: round(baseline.perSecond),
      ceilingPerSecond: ceiling ? round(ceiling.perSecond) : null,
      peakMemoryMb: memory.peakMb(),
      ratio: round(ours.perSecond / baseline.perSecond),
      ratioToCeiling: ceiling ? round(ours.perSecond / ceiling.perSecond) : null,
    };
    console.log(`peak memory ${result.peakMemoryMb} MB; ratio to bare nodemailer ${result.ratio}`);
    console.log(JSON.stringify(result));
  } finally {
    memory.stop();
    await database.stop();
    await sink.stop();
  }
}

/** The baseline: the same notice, composed by nodemailer for each recipient, same pool. */
async function bareNodemailer(
  url: string,
  pool: number,
  count: number,
  renderer: MailRenderer,
  from: string,
) {
  const mail = renderer.render('notice', 'en', sampleContext());
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: pool,
    maxMessages: Infinity,
  } as SMTPPool.Options);
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: pool * 4 }, async () => {
      while (next < count) {
        const i = next++;
        await transport.sendMail({
          from,
          to: `contact-${i}@customer.example.net`,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
        });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  transport.close();
  return { seconds, perSecond: count / seconds };
}

/** postfix's smtp-source against the same sink: what loopback SMTP can do at all. */
function rawCeiling(port: number, count: number) {
  if (spawnSync('sh', ['-c', 'command -v smtp-source']).status !== 0) return undefined;
  const started = process.hrtime.bigint();
  const run = spawnSync(
    'smtp-source',
    ['-s', '10', '-m', String(count), '-l', '4000', '-d', `127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  if (run.status !== 0) return undefined;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, perSecond: count / seconds };
}

async function tocsin(
  config: ReturnType<typeof loadConfig>,
  databaseUrl: string,
  smtpUrl: string,
  count: number,
) {
  const setupStarted = process.hrtime.bigint();
  const app = await createApp({ config, databaseUrl });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const db = app.get(DataSource);
  const worker = app.get(DeliveryWorker);
  worker.useRelay(smtpUrl);
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const headers = {
      authorization: `Bearer ${config.adminToken}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    };
    const res = await app.inject({ method, url, headers, payload: body ? JSON.stringify(body) : undefined });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const service = await call('POST', '/api/v1/services', { key: 'as2-gateway', name: 'AS2 gateway' });
  await seedContacts(db, service.id, count);
  const incident = await call('POST', '/api/v1/incidents', {
    title: 'AS2 gateway rejects inbound messages',
    kind: 'service_disruption',
    severity: 1,
    serviceIds: [service.id],
  });
  const setupSeconds = Number(process.hrtime.bigint() - setupStarted) / 1e9;

  const started = process.hrtime.bigint();
  await call('POST', `/api/v1/incidents/${incident.id}/impact`);
  const {
    items: [initial],
  } = await call('GET', `/api/v1/incidents/${incident.id}/notifications`);
  await call('POST', `/api/v1/incidents/${incident.id}/notifications/${initial.id}/approve`);
  const queuedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  await worker.drain();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [{ accepted }] = await db.query(
    `SELECT count(*)::int AS accepted FROM deliveries WHERE incident_id = $1 AND kind = 'initial' AND status = 'accepted'`,
    [incident.id],
  );
  await app.close();
  return { seconds, perSecond: accepted / seconds, accepted, setupSeconds, queuedSeconds };
}

/** N contacts across customers of 10 contacts, all subscribed to the service (bulk SQL: setup is not measured). */
async function seedContacts(db: DataSource, serviceId: string, count: number): Promise<void> {
  const customers = Math.ceil(count / 10);
  await db.query(
    `INSERT INTO customers (name, language) SELECT 'Bench customer ' || g, CASE WHEN g % 2 = 0 THEN 'fr' ELSE 'en' END
       FROM generate_series(1, $1) g`,
    [customers],
  );
  await db.query(
    `INSERT INTO customer_subscriptions (customer_id, service_id) SELECT id, $1 FROM customers`,
    [serviceId],
  );
  await db.query(
    `INSERT INTO customer_contacts (customer_id, name, email)
     SELECT c.id, 'Operations contact ' || n, 'ops' || n || '.' || replace(c.id::text, '-', '') || '@customer.example.net'
       FROM customers c CROSS JOIN generate_series(1, 10) n
      ORDER BY c.name, n LIMIT $1`,
    [count],
  );
}

function sampleContext() {
  return {
    kind: 'initial',
    reference: 'INC-2026-00001',
    title: 'AS2 gateway rejects inbound messages',
    severity: 1,
    severityLabel: 'critical',
    services: ['AS2 gateway'],
    startedAt: new Date(),
    resolvedAt: null,
    observed: null,
    actions: null,
    message: null,
    nextUpdateAt: new Date(Date.now() + 30 * 60_000),
    sentAt: new Date(),
    portalUrl: 'http://127.0.0.1:3000',
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
