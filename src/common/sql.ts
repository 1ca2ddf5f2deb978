import type { DataSource, EntityManager } from 'typeorm';

/**
 * Rows of a raw statement. TypeORM answers UPDATE/DELETE … RETURNING with `[rows, affected]`
 * but SELECT/INSERT with `rows`; this always gives the rows.
 */
export async function sqlRows<T>(
  db: EntityManager | DataSource,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
