import type { DataSource, EntityManager } from 'typeorm';

/** The PostgreSQL channel on which every process announces changes that live views show. */
export const CHANGES_CHANNEL = 'tocsin_changes';

export interface Change {
  /** null: "anything may have changed" (e.g. after the listener reconnected). */
  incidentId: string | null;
  /** What happened, e.g. a timeline entry type or `delivery.accepted`; informative only. */
  kind: string;
}

/**
 * Announces that what the board shows about an incident changed. Inside a transaction, PostgreSQL
 * delivers the notification only at commit (and not at all on rollback), so listeners never see
 * a change before it is readable; identical notifications of one transaction are folded into one.
 */
export async function notifyChange(em: EntityManager | DataSource, change: Change): Promise<void> {
  await em.query(`SELECT pg_notify($1, $2)`, [CHANGES_CHANNEL, JSON.stringify(change)]);
}

/** One statement for several incidents (a worker's batch of accepted deliveries). */
export async function notifyChanges(
  em: EntityManager | DataSource,
  incidentIds: Iterable<string>,
  kind: string,
): Promise<void> {
  const ids = [...new Set(incidentIds)];
  if (ids.length === 0) return;
  await em.query(
    `SELECT pg_notify($1, json_build_object('incidentId', id, 'kind', $3::text)::text) FROM unnest($2::uuid[]) AS id`,
    [CHANGES_CHANNEL, ids, kind],
  );
}

/** Parses a notification payload; anything unexpected becomes a "resync" (refresh everything). */
export function parseChange(payload: string | undefined): Change {
  try {
    const value = JSON.parse(payload ?? '') as Partial<Change>;
    return {
      incidentId: typeof value.incidentId === 'string' ? value.incidentId : null,
      kind: typeof value.kind === 'string' ? value.kind : 'unknown',
    };
  } catch {
    return { incidentId: null, kind: 'unknown' };
  }
}
