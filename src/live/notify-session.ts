import type { DataSource, EntityManager } from 'typeorm';

/** The PostgreSQL channel on which every process announces that staff sessions ended. */
export const SESSIONS_CHANNEL = 'tocsin_sessions';

/** What ended: one token (revoked) or every token of a staff member (deactivated). */
export type SessionEnd = { tokenId: string } | { staffMemberId: string };

/**
 * What the listener passes on: an ended session, or `recheck` when notifications may have been
 * lost (the listening connection reconnected, or a payload was not understood).
 */
export type SessionSignal = SessionEnd | { recheck: true };

/**
 * Announces that sessions ended, so open board streams on every instance close. Call it inside
 * the transaction that revokes or deactivates: PostgreSQL delivers it at commit, never before
 * the change is readable, and not at all on rollback.
 */
export async function notifySessionEnd(em: EntityManager | DataSource, end: SessionEnd): Promise<void> {
  await em.query(`SELECT pg_notify($1, $2)`, [SESSIONS_CHANNEL, JSON.stringify(end)]);
}

/** Parses a notification payload; anything unexpected asks for a re-check of every session. */
export function parseSessionSignal(payload: string | undefined): SessionSignal {
  try {
    const value = JSON.parse(payload ?? '') as Record<string, unknown>;
    if (typeof value.tokenId === 'string') return { tokenId: value.tokenId };
    if (typeof value.staffMemberId === 'string') return { staffMemberId: value.staffMemberId };
  } catch {
    // Falls through to a re-check.
  }
  return { recheck: true };
}
