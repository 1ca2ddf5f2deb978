import 'reflect-metadata';
import { join } from 'node:path';
import { createApp } from './app.factory';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { createRootLogger } from './logging';

/**
 * Start-up: validate configuration (one clear line and exit 1 if wrong), start embedded
 * PostgreSQL when no DATABASE_URL is given, serve, and on SIGTERM/SIGINT stop taking
 * requests, finish in-flight ones, then stop the embedded database cleanly.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createRootLogger(config);

  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: join(config.dataDir, 'pg'),
        port: config.embeddedPgPort,
        log: (line) => logger.debug({ component: 'embedded-postgres' }, line),
      });
  if (embedded)
    logger.info(`embedded PostgreSQL on 127.0.0.1:${config.embeddedPgPort}, data in ${embedded.dataDir}`);

  let app;
  try {
    app = await createApp({ config, databaseUrl: config.databaseUrl ?? embedded!.url, logger });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  logger.info(`Tocsin listening on ${config.publicBaseUrl} (API docs: ${config.publicBaseUrl}/api/docs)`);
  logger.info(
    `Status page: ${config.publicBaseUrl}/status · incident board (staff token): ${config.publicBaseUrl}/board`,
  );

  const running = app;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests, then stopping`);
    let code = 0;
    try {
      await running.close();
    } catch (error) {
      logger.error({ err: error }, 'error while stopping');
      code = 1;
    }
    await embedded?.stop();
    logger.info('stopped');
    logger.flush();
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Tocsin failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
