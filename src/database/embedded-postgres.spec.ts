import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../test/support/free-port';
import { RunningEmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

const asRoot = process.getuid?.() === 0;

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  let parent: string;
  const started: RunningEmbeddedPostgres[] = [];
  const logged: string[] = [];
  const log = (line: string) => logged.push(line);

  async function start(dataDir: string, port: number, database?: string): Promise<RunningEmbeddedPostgres> {
    const running = await startEmbeddedPostgres({ dataDir, port, database, log });
    started.push(running);
    return running;
  }

  beforeAll(async () => {
    // Like /root or a CI clone: a folder only its owner may enter.
    parent = await mkdtemp(join(tmpdir(), 'tocsin-embedded-pg-'));
    await chmod(parent, 0o700);
  });

  afterAll(async () => {
    await Promise.all(started.map((running) => running.stop()));
    const dataDirs = new Set(started.map((running) => running.dataDir));
    await Promise.all([parent, ...dataDirs].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('keeps data across stop and start in a folder under a mode-700 parent', async () => {
    const dataDir = join(parent, 'pg');
    const port = await freePort();

    const first = await start(dataDir, port);
    await query(first.url, 'CREATE TABLE note (body text NOT NULL)');
    await query(first.url, 'INSERT INTO note (body) VALUES ($1)', ['survives a restart']);
    await first.stop();
    await first.stop();

    const second = await start(dataDir, port);
    expect(second.dataDir).toBe(first.dataDir);
    expect(await query(second.url, 'SELECT body FROM note')).toEqual([{ body: 'survives a restart' }]);
    await second.stop();

    if (asRoot) {
      // The postgres user cannot enter `parent`, so the data lives elsewhere and says where, once per start.
      expect(first.dataDir.startsWith(parent)).toBe(false);
      expect(logged.filter((line) => line.includes(first.dataDir) && line.includes(dataDir))).toHaveLength(2);
    } else {
      expect(first.dataDir).toBe(dataDir);
    }
  });

  it('serves the named database to a pg Client on loopback only', async () => {
    const port = await freePort();
    const running = await start(join(parent, 'other'), port, 'tocsin_spec');

    expect(running.url).toBe(`postgres://tocsin:tocsin@127.0.0.1:${port}/tocsin_spec`);
    const [row] = await query<Record<string, string>>(
      running.url,
      `SELECT current_database() AS db, current_user AS "user", current_setting('listen_addresses') AS listen,
              current_setting('server_version_num') AS version`,
    );
    expect(row).toEqual({
      db: 'tocsin_spec',
      user: 'tocsin',
      listen: '127.0.0.1',
      version: expect.stringMatching(/^1[89]/),
    });
    await expect(query(running.url.replace(':tocsin@', ':wrong@'), 'SELECT 1')).rejects.toThrow(/password/);
  });
});
