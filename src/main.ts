import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';
import { startEmbeddedPostgres } from './database/embedded-postgres';

/**
 * Start-up: validate configuration (one clear line and exit 1 if wrong), start embedded
 * PostgreSQL when no DATABASE_URL is given, serve, and on SIGTERM/SIGINT stop taking
 * requests, finish in-flight ones, then stop the embedded database cleanly.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new Logger('Tocsin');

  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: join(config.dataDir, 'pg'),
        port: config.embeddedPgPort,
        log: (line) => logger.log(line),
      });
  const databaseUrl = config.databaseUrl ?? embedded!.url;

  let app;
  try {
    app = await createApp({ config, databaseUrl });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const started = app;
  app.get(Logger).log(
    `Tocsin listening on ${config.publicBaseUrl} (API docs: ${config.publicBaseUrl}/api/docs; database: ${embedded ? `embedded, data in ${embedded.dataDir}` : 'DATABASE_URL'})`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    started.get(Logger).log(`${signal} received: draining and stopping`);
    try {
      await started.close();
    } finally {
      await embedded?.stop();
      process.exit(0);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Tocsin failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
