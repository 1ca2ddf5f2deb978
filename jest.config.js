const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// NestJS 12, nodemailer 10, smtp-server 3 and several of their dependencies are ES modules only:
// Jest on Node 20 cannot require() them from CommonJS, so @swc/jest transforms every package
// that declares "type": "module" (README, "Development"). Found by scanning, so a new
// ES-only dependency needs no edit here.
function esModulePackages(dir = join(__dirname, 'node_modules')) {
  const names = [];
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(join(dir, entry))) names.push(`${entry}/${sub}`);
    } else names.push(entry);
  }
  return names.filter((name) => {
    try {
      return JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')).type === 'module';
    } catch {
      return false;
    }
  });
}
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The fault suite spawns processes and restarts servers: `npm run test:faults` (jest.faults.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esModulePackages().map(escape).join('|')})/)`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // A guard against a hung test, not a speed check: on a machine shared with other jobs (two CI
  // runs on one runner) a file's heavy tests took 4× their idle time and passed 30 s.
  testTimeout: 120_000,
};
