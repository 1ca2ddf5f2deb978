import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A read on the hot path as a named prepared statement on the pool: PostgreSQL parses and
 * plans it once per connection instead of on every call (node-postgres keeps the statement
 * per connection by name; the same name must always carry the same text). Errors come back
 * as TypeORM's QueryFailedError, as from `DataSource.query`.
 */
export async function preparedQuery<T>(
  db: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (db.driver as PostgresDriver).master as Pool;
  try {
    return (await pool.query({ name, text, values })).rows as T[];
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  }
}

const namesByText = new Map<string, string>();

/**
 * A statement name derived from its text (`prefix_` + 16 hex digits of its SHA-1), for queries
 * assembled from a bounded set of parts, such as a list's filters. Remembered per text, so the
 * hash is not recomputed on every request.
 */
export function statementName(prefix: string, text: string): string {
  const key = `${prefix}\u0000${text}`;
  let name = namesByText.get(key);
  if (name === undefined) {
    name = `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    namesByText.set(key, name);
  }
  return name;
}
