import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { hashTokenSecret } from '../../src/auth/token-secret';
import { createTestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

/** The last schema that shipped; every migration after it must upgrade a populated database. */
const LANDED = 1764700000000;

/** TypeORM's own rule: the 13-digit timestamp ending the class name; it runs them in that order. */
const timestampOf = (migration: { name: string }) => Number(/(\d{13})$/.exec(migration.name)![1]);
const ordered = [...MIGRATIONS].sort((a, b) => timestampOf(a) - timestampOf(b));
const landed = ordered.filter((m) => timestampOf(m) <= LANDED);
const pending = ordered.filter((m) => timestampOf(m) > LANDED);

const COMMANDER_SECRET = 'tcs_upgrade-commander-secret-0123456789';
const ids = {
  commander: '11111111-1111-4111-8111-000000000001',
  lead: '11111111-1111-4111-8111-000000000002',
  token: '22222222-2222-4222-8222-000000000001',
  as2: '33333333-3333-4333-8333-000000000001',
  sftp: '33333333-3333-4333-8333-000000000002',
  customer: '44444444-4444-4444-8444-000000000001',
  contactFr: '55555555-5555-4555-8555-000000000001',
  contactEn: '55555555-5555-4555-8555-000000000002',
  incident: '66666666-6666-4666-8666-000000000001',
  participantCommander: '77777777-7777-4777-8777-000000000001',
  participantLead: '77777777-7777-4777-8777-000000000002',
  notification: '88888888-8888-4888-8888-000000000001',
  content: '99999999-9999-4999-8999-000000000001',
  delivery: 'aaaaaaaa-aaaa-4aaa-8aaa-000000000001',
  request: 'bbbbbbbb-bbbb-4bbb-8bbb-000000000001',
  step: 'cccccccc-cccc-4ccc-8ccc-000000000001',
};

/** A populated database as the landed schema knows it: plain SQL, no entity of today involved. */
const SEED = `
  INSERT INTO staff_members (id, name, email, phone) VALUES
    ('${ids.commander}', 'Duty incident commander', 'commander@example.com', '+33 1 00 00 00 01'),
    ('${ids.lead}', 'Investigation lead on call', 'lead@example.com', NULL);
  INSERT INTO api_tokens (id, staff_member_id, name, token_hash, prefix, roles) VALUES
    ('${ids.token}', '${ids.commander}', 'commander laptop', '${hashTokenSecret(COMMANDER_SECRET)}',
     '${COMMANDER_SECRET.slice(0, 10)}', ARRAY['commander']);
  INSERT INTO services (id, key, name, description) VALUES
    ('${ids.as2}', 'as2-gateway', 'AS2 gateway', 'Inbound and outbound AS2'),
    ('${ids.sftp}', 'sftp', 'SFTP', NULL);
  INSERT INTO customers (id, name, language) VALUES ('${ids.customer}', 'Transports Exemple SA', 'fr');
  INSERT INTO customer_contacts (id, customer_id, name, email, language, receives_notices) VALUES
    ('${ids.contactFr}', '${ids.customer}', 'Responsable exploitation', 'exploitation@transports.example.com', NULL, true),
    ('${ids.contactEn}', '${ids.customer}', 'EDI operations', 'edi@transports.example.com', 'en', false);
  INSERT INTO customer_subscriptions (customer_id, service_id) VALUES ('${ids.customer}', '${ids.as2}');
  INSERT INTO incident_reference_counters (year, last_sequence) VALUES (2026, 1);
  INSERT INTO incidents (id, reference, title, summary, kind, severity, status, commander_id, declared_at,
      response_due_at, resolution_due_at, updated_at, impact_defined_at, first_response_at,
      update_cadence_minutes, next_update_due_at, escalation_level)
    VALUES ('${ids.incident}', 'INC-2026-00001', 'AS2 gateway rejects inbound messages', 'Certificate chain expired',
      'service_disruption', 2, 'investigating', '${ids.commander}', '2026-03-02 09:00Z', '2026-03-02 10:00Z',
      '2026-03-02 12:00Z', '2026-03-02 09:25Z', '2026-03-02 09:05Z', '2026-03-02 09:20Z', 60,
      '2026-03-02 10:20Z', 1);
  INSERT INTO incident_services (incident_id, service_id) VALUES ('${ids.incident}', '${ids.as2}');
  INSERT INTO incident_participants (id, incident_id, staff_member_id, role, domain, joined_at) VALUES
    ('${ids.participantCommander}', '${ids.incident}', '${ids.commander}', 'commander', NULL, '2026-03-02 09:00Z'),
    ('${ids.participantLead}', '${ids.incident}', '${ids.lead}', 'investigation_lead', 'AS2 protocol', '2026-03-02 09:10Z');
  INSERT INTO incident_timeline (incident_id, occurred_at, actor_id, actor_name, type, data) VALUES
    ('${ids.incident}', '2026-03-02 09:00Z', '${ids.commander}', 'Duty incident commander', 'declared',
     '{"title":"AS2 gateway rejects inbound messages","severity":2}'),
    ('${ids.incident}', '2026-03-02 09:10Z', '${ids.commander}', 'Duty incident commander', 'participant_added',
     '{"staffMemberId":"${ids.lead}","role":"investigation_lead"}');
  INSERT INTO impacted_customers (incident_id, customer_id, source, added_at, notify_target_at,
      notify_autosend_at, notify_deadline_at)
    VALUES ('${ids.incident}', '${ids.customer}', 'subscription', '2026-03-02 09:05Z', '2026-03-02 09:25Z',
      '2026-03-02 09:30Z', '2026-03-02 09:35Z');
  INSERT INTO notifications (id, incident_id, sequence, kind, status, actions, created_at, created_by_id,
      created_by_name, approved_at, approved_by_id, approved_by_name)
    VALUES ('${ids.notification}', '${ids.incident}', 1, 'initial', 'approved', 'Restoring the certificate chain.',
      '2026-03-02 09:05Z', '${ids.commander}', 'Duty incident commander', '2026-03-02 09:20Z',
      '${ids.commander}', 'Duty incident commander');
  INSERT INTO mail_contents (id, template, language, subject, html, text) VALUES
    ('${ids.content}', 'notice', 'fr', '[INC-2026-00001] Incident de service', '<p>Incident</p>', 'Incident');
  INSERT INTO deliveries (id, idempotency_key, kind, priority, incident_id, notification_id, content_id,
      recipient_type, customer_id, contact_id, to_address, to_name, message_id, status, attempts,
      created_at, next_attempt_at, accepted_at, smtp_response)
    VALUES ('${ids.delivery}', 'notice:${ids.notification}:${ids.contactFr}', 'initial', 0, '${ids.incident}',
      '${ids.notification}', '${ids.content}', 'contact', '${ids.customer}', '${ids.contactFr}',
      'exploitation@transports.example.com', 'Responsable exploitation', '<upgrade-1@tocsin.example.com>',
      'accepted', 1, '2026-03-02 09:20Z', '2026-03-02 09:20Z', '2026-03-02 09:21Z', '250 queued');
  INSERT INTO plan_steps (id, incident_id, position, title, owner_id, status, created_at, updated_at) VALUES
    ('${ids.step}', '${ids.incident}', 1, 'Renew the gateway certificate', '${ids.lead}', 'doing',
     '2026-03-02 09:15Z', '2026-03-02 09:15Z');
  INSERT INTO investigation_notes (incident_id, at, actor_id, actor_name, text) VALUES
    ('${ids.incident}', '2026-03-02 09:16Z', '${ids.lead}', 'Investigation lead on call', 'Expiry confirmed on the intermediate.');
  INSERT INTO support_request_counters (year, last_sequence) VALUES (2026, 1);
  INSERT INTO support_requests (id, reference, company, contact_name, contact_email, submission_method,
      description, status, severity, priority, customer_id, contact_id, incident_id, response_due_at,
      resolution_due_at, created_at, updated_at, created_by_id, created_by_name)
    VALUES ('${ids.request}', 'SR-2026-000001', 'Transports Exemple SA', 'Responsable exploitation',
      'exploitation@transports.example.com', 'phone', 'Our invoices are rejected by the AS2 gateway',
      'in_progress', 2, 'normal', '${ids.customer}', '${ids.contactFr}', '${ids.incident}', '2026-03-02 10:00Z',
      '2026-03-02 13:00Z', '2026-03-02 08:55Z', '2026-03-02 09:00Z', '${ids.commander}', 'Duty incident commander');
  INSERT INTO support_request_events (request_id, at, actor_id, actor_name, type, data) VALUES
    ('${ids.request}', '2026-03-02 08:55Z', '${ids.commander}', 'Duty incident commander', 'created', '{}');
  INSERT INTO support_replies (request_id, at, author_id, author_name, body) VALUES
    ('${ids.request}', '2026-03-02 09:30Z', '${ids.commander}', 'Duty incident commander', 'We are on it.');
  INSERT INTO escalations (incident_id, level, level_title, contact_name, contact_email, reason,
      requested_by_name, created_at)
    VALUES ('${ids.incident}', 1, 'Customer support desk', 'Customer support desk', 'support-desk@example.com',
      'manual', 'Duty incident commander', '2026-03-02 09:40Z');
`;

type Rows = Record<string, Record<string, unknown>[]>;

async function allRows(db: DataSource, tables: string[]): Promise<Rows> {
  const rows: Rows = {};
  for (const table of tables) {
    const result: { row: Record<string, unknown> }[] = await db.query(
      `SELECT to_jsonb(t) AS row FROM "${table}" t ORDER BY to_jsonb(t)::text`,
    );
    rows[table] = result.map((r) => r.row);
  }
  return rows;
}

const tablesOf = async (db: DataSource): Promise<string[]> =>
  (
    await db.query(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'migrations'
        ORDER BY table_name`,
    )
  ).map((r: { table_name: string }) => r.table_name);

/**
 * Upgrade path: a database on the last landed schema, populated, is migrated by the running app
 * with every later migration (whatever other work adds), keeps every row, and is served by the API.
 * The entities then match the migrated schema exactly: `synchronize` is never needed.
 */
describe('migrating a populated database from the landed schema', () => {
  let database: { url: string; drop(): Promise<void> };
  let t: TestApp;
  let before: Rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    const old = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: landed,
      migrationsTableName: 'migrations',
      entities: [],
      logging: false,
    });
    await old.initialize();
    try {
      const applied = await old.runMigrations({ transaction: 'each' });
      expect(applied.map((m) => m.name)).toEqual(landed.map((m) => m.name));
      await old.query(SEED);
      before = await allRows(old, await tablesOf(old));
    } finally {
      await old.destroy();
    }
    t = await startTestApp({ databaseUrl: database.url });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('knows which migrations came after the landed schema, and applied all of them on start-up', async () => {
    expect(landed.length).toBeGreaterThanOrEqual(5);
    expect(landed.map((m) => m.name)).toContain('Escalation1764700000000');
    const applied: { name: string }[] = await t.db.query(`SELECT name FROM migrations ORDER BY id`);
    expect(applied.map((m) => m.name)).toEqual(ordered.map((m) => m.name));
    // Whatever later work adds runs here, against the populated database.
    expect(applied.slice(landed.length).map((m) => m.name)).toEqual(pending.map((m) => m.name));
  });

  it('keeps every row and every value of the populated tables (new columns may be added)', async () => {
    const after = await allRows(t.db, Object.keys(before));
    for (const [table, rows] of Object.entries(before)) {
      // Only the columns the landed schema had, so columns added later do not count as changes;
      // start-up may add rows (the bootstrap admin token), never lose or alter one.
      const projected = new Set(
        after[table].map((row) =>
          JSON.stringify(Object.fromEntries(Object.keys(rows[0] ?? {}).map((k) => [k, row[k]]))),
        ),
      );
      const missing = rows.map((row) => JSON.stringify(row)).filter((row) => !projected.has(row));
      expect({ table, missing }).toEqual({ table, missing: [] });
    }
    expect(before.incidents).toHaveLength(1);
    expect(before.deliveries).toHaveLength(1);
  });

  it('serves the migrated data through the API, to a token issued before the upgrade', async () => {
    const auth = `Bearer ${COMMANDER_SECRET}`;
    const list = await t.http.get('/api/v1/incidents').set('Authorization', auth).expect(200);
    const items = (list.body.items ?? list.body) as { reference: string }[];
    expect(items.map((i) => i.reference)).toContain('INC-2026-00001');

    const incident = await t.http
      .get(`/api/v1/incidents/${ids.incident}`)
      .set('Authorization', auth)
      .expect(200);
    expect(incident.body).toMatchObject({
      reference: 'INC-2026-00001',
      title: 'AS2 gateway rejects inbound messages',
      severity: 2,
      status: 'investigating',
    });

    const participants = await t.http
      .get(`/api/v1/incidents/${ids.incident}/participants`)
      .set('Authorization', auth)
      .expect(200);
    expect(participants.body.map((p: { role: string }) => p.role).sort()).toEqual([
      'commander',
      'investigation_lead',
    ]);

    const timeline = await t.http
      .get(`/api/v1/incidents/${ids.incident}/timeline`)
      .set('Authorization', auth)
      .expect(200);
    const entries = (timeline.body.items ?? timeline.body) as { type: string }[];
    expect(entries.map((e) => e.type)).toEqual(expect.arrayContaining(['declared', 'participant_added']));

    const deliveries = await t.http
      .get(`/api/v1/incidents/${ids.incident}/deliveries`)
      .set('Authorization', auth)
      .expect(200);
    expect(JSON.stringify(deliveries.body)).toContain('exploitation@transports.example.com');

    const customer = await t.http
      .get(`/api/v1/customers/${ids.customer}`)
      .set('Authorization', t.admin)
      .expect(200);
    expect(customer.body.name).toBe('Transports Exemple SA');
    expect(JSON.stringify(customer.body)).toContain('edi@transports.example.com');

    const request = await t.http
      .get('/api/v1/support-requests/SR-2026-000001')
      .set('Authorization', t.admin)
      .expect(200);
    expect(request.body).toMatchObject({ reference: 'SR-2026-000001', company: 'Transports Exemple SA' });

    const escalations = await t.http
      .get(`/api/v1/incidents/${ids.incident}/escalations`)
      .set('Authorization', auth)
      .expect(200);
    expect(escalations.body).toMatchObject({ total: 1, items: [expect.anything()] });
  });

  it('keeps writing after the upgrade: the reference sequence continues', async () => {
    const res = await t.http
      .post('/api/v1/incidents')
      .set('Authorization', `Bearer ${COMMANDER_SECRET}`)
      .send({ title: 'SFTP logins slow', kind: 'service_disruption', severity: 3, serviceIds: [ids.sftp] })
      .expect(201);
    expect(res.body.reference).toMatch(/^INC-\d{4}-\d+$/);
    expect(res.body.reference).not.toBe('INC-2026-00001');
  });

  it('never synchronizes, and every entity finds its tables, columns and types in the migrated schema', async () => {
    expect(t.db.options.synchronize).toBe(false);
    expect(t.db.options.migrationsRun).toBe(false);
    const drift = (await t.db.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    // What synchronize would do to make the schema fit the entities. Hand-written SQL names its
    // constraints and indexes the PostgreSQL way and keeps defaults and raw-SQL-only columns the
    // entities do not declare, so those differences are expected; a missing table or column, or
    // a column of another type or nullability (TypeORM re-adds the column), is a real mismatch.
    const mismatches = drift.filter((query) =>
      /^CREATE TABLE|\bADD (COLUMN )?"|ALTER COLUMN "[^"]+" (TYPE|SET NOT NULL|DROP NOT NULL)/.test(query),
    );
    expect(mismatches).toEqual([]);
    expect(drift.length).toBeGreaterThan(0); // the comparison ran
  });
});
