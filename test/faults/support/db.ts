import { Client } from 'pg';
import type { JsonBody } from './api';

/** A short-lived connection for the test's own checks of the ledger (never the service's pool). */
export async function query<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface LedgerCounts {
  total: number;
  accepted: number;
  failed: number;
  open: number;
}

/** Outcome counts of one incident's deliveries of `kinds` (all kinds when omitted). */
export async function ledgerCounts(url: string, incidentId: string, kinds?: string[]): Promise<LedgerCounts> {
  const [row] = await query<LedgerCounts>(
    url,
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'accepted')::int AS accepted,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status IN ('pending', 'retrying', 'sending'))::int AS open
       FROM deliveries WHERE incident_id = $1 AND ($2::text[] IS NULL OR kind = ANY($2))`,
    [incidentId, kinds ?? null],
  );
  return row;
}

export async function timeline(
  url: string,
  incidentId: string,
): Promise<{ type: string; at: Date; data: JsonBody }[]> {
  return query(
    url,
    `SELECT type, occurred_at AS at, data FROM incident_timeline WHERE incident_id = $1 ORDER BY occurred_at, id`,
    [incidentId],
  );
}
