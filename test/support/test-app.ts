import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { FakeClock } from './fake-clock';
import { createTestDatabase } from './test-database';

export const ADMIN_TOKEN = 'tcs_test-admin-token-0123456789abcdef';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  clock: FakeClock;
  config: AppConfig;
  db: DataSource;
  databaseUrl: string;
  /** Authorization header value for the bootstrap admin. */
  admin: string;
  close(): Promise<void>;
}

/** The real application (same factory as main.ts) on its own fresh database, with a fake clock. */
export async function startTestApp(
  options: { env?: Record<string, string>; clock?: FakeClock; databaseUrl?: string } = {},
): Promise<TestApp> {
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const clock = options.clock ?? new FakeClock();
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    TOCSIN_ADMIN_TOKEN: ADMIN_TOKEN,
    RATE_LIMIT_PER_MINUTE: '100000',
    DATABASE_POOL_SIZE: '5',
    // Ticks are driven by the tests (worker.drain(), ticks.runDue()) against the fake clock.
    TICK_INTERVAL_MS: '0',
    // Nothing listens on the discard port: suites that read mail pass their own SMTP sink.
    SMTP_URL: 'smtp://127.0.0.1:9',
    ...options.env,
  });
  const app = await createApp({ config, databaseUrl, clock });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: request(app.getHttpServer()),
    clock,
    config,
    db: app.get(DataSource),
    databaseUrl,
    admin: `Bearer ${ADMIN_TOKEN}`,
    async close() {
      await app.close();
      await database?.drop();
    },
  };
}
