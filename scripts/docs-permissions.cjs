// npm run docs:permissions: rewrites README "Roles and permissions" from the route decorators
// (@Public, @Roles) of every operation the API documents, so the table cannot drift from the code.
// test/e2e/openapi.e2e.spec.ts fails when the README is not current.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const prettier = require('prettier');
const { load, root } = require('./register-ts.cjs');

async function main() {
  const { loadConfig } = load('src/config/app-config.ts');
  const { buildApiDocumentOffline } = load('src/api-document.ts');
  const { permissionsTable, TABLE_END, TABLE_START } = load('src/auth/permissions-table.ts');
  const { document, facts } = await buildApiDocumentOffline(loadConfig({ LOG_LEVEL: 'silent' }));
  const routes = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, op]) => op && typeof op === 'object' && 'operationId' in op)
      .map(([method, op]) => ({ call: `${method.toUpperCase()} ${path}`, ...facts.get(op.operationId) })),
  );
  const file = join(root, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END}`);
  const next = `${readme.slice(0, start + TABLE_START.length)}\n\n${permissionsTable(routes)}\n\n${readme.slice(end)}`;
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(next, { ...options, filepath: file }));
  process.stdout.write(`README.md: ${routes.length} operations in the permissions table\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
