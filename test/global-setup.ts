import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { freePort } from './support/free-port';

/**
 * One PostgreSQL server for the whole run: the one DATABASE_URL names (CI runs the suite
 * against the machine's server that way), otherwise an embedded one on a free port.
 * Each test file then creates its own database on it (test/support/test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const root = await mkdtemp(join(tmpdir(), 'tocsin-test-pg-'));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter this folder.
  await chmod(root, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: join(root, 'pg'),
    port: await freePort(),
    database: 'tocsin',
  });
  process.env.TEST_DATABASE_SERVER_URL = server.url;
  (globalThis as { __tocsinTestPg?: unknown }).__tocsinTestPg = { server, root };
}
