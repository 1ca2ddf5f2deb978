import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';

/** The API's one error shape: `{statusCode, code, message, details?, requestId}`, id echoed in the header. */
export function expectError(res: Response, status: number, code: string): void {
  if (res.status !== status || res.body?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({
    statusCode: status,
    code,
    message: expect.stringMatching(/\S/),
    requestId: res.headers['x-request-id'],
    ...(res.body.details === undefined ? {} : { details: res.body.details }),
  });
  expect(typeof res.headers['x-request-id']).toBe('string');
}

/** A 400 `validation_failed` whose details name `field` with `rule`; every detail is `{field, rule, message}`. */
export function expectViolation(res: Response, field: string, rule: string): void {
  expectError(res, 400, 'validation_failed');
  const details = res.body.details as unknown[];
  expect(Array.isArray(details)).toBe(true);
  for (const detail of details) {
    expect(detail).toEqual({
      field: expect.any(String),
      rule: expect.any(String),
      message: expect.any(String),
    });
  }
  expect(details).toContainEqual({ field, rule, message: expect.stringMatching(/\S/) });
}

/**
 * Row count and a digest of every row of each table, so a test can assert that a rejected
 * request stored nothing and changed nothing. `api_tokens.last_used_at` is left out: any
 * authenticated call may refresh it.
 */
const SNAPSHOT_TABLES: Record<string, string> = {
  staff_members: '*',
  api_tokens: 'id, staff_member_id, name, token_hash, prefix, roles, created_at, expires_at, revoked_at',
  services: '*',
  customers: '*',
  customer_contacts: '*',
  customer_subscriptions: '*',
  incident_reference_counters: '*',
  incidents: '*',
  incident_services: '*',
  incident_participants: '*',
  incident_timeline: '*',
  idempotency_keys: '*',
};

export async function dbSnapshot(db: DataSource): Promise<Record<string, string>> {
  const columns = Object.entries(SNAPSHOT_TABLES).map(
    ([table, cols]) =>
      `(SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '')
          FROM (SELECT ${cols} FROM ${table}) r) AS ${table}`,
  );
  const [row] = await db.query(`SELECT ${columns.join(', ')}`);
  return row;
}

/** Columns any authenticated call may touch; left out of whole-database snapshots. */
const VOLATILE_COLUMNS = new Set(['api_tokens.last_used_at']);

/**
 * Like dbSnapshot, over every table of the schema (read from the catalogue, so tables that
 * other modules add later are covered without an edit here).
 */
export async function fullDbSnapshot(db: DataSource): Promise<Record<string, string>> {
  const columns: { table_name: string; column_name: string }[] = await db.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name <> 'migrations'
        AND table_name IN (SELECT table_name FROM information_schema.tables
                            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
      ORDER BY table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const { table_name: table, column_name: column } of columns) {
    if (VOLATILE_COLUMNS.has(`${table}.${column}`)) continue;
    byTable.set(table, [...(byTable.get(table) ?? []), `"${column}"`]);
  }
  const parts = [...byTable].map(
    ([table, cols]) =>
      `(SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '')
          FROM (SELECT ${cols.join(', ')} FROM "${table}") r) AS "${table}"`,
  );
  const [row] = await db.query(`SELECT ${parts.join(', ')}`);
  return row;
}

export async function countRows(db: DataSource, table: string): Promise<number> {
  const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM ${table}`);
  return count;
}
