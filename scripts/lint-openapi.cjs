// `npm run lint` step: builds the OpenAPI document the app serves (offline: no database, no
// socket; src/api-document.ts), writes it to a temporary file and lints it with Redocly CLI's
// `recommended` rules (redocly.yaml). Exits with redocly's status.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { load, root } = require('./register-ts.cjs');

async function main() {
  const { loadConfig } = load('src/config/app-config.ts');
  const { buildApiDocumentOffline } = load('src/api-document.ts');
  // Defaults only: the document depends on the code, not on the environment.
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const { document } = await buildApiDocumentOffline(config);
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    const redocly = join(root, 'node_modules', '.bin', 'redocly');
    const lint = spawnSync(
      redocly,
      ['lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'stylish'],
      {
        stdio: 'inherit',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    return lint.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
