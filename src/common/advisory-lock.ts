import type { EntityManager } from 'typeorm';

/**
 * Transaction-scoped advisory lock on a name, so a "check then insert" (a unique name, the
 * next reference number) cannot interleave with another transaction doing the same.
 */
export async function lockName(em: EntityManager, name: string): Promise<void> {
  await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
}
