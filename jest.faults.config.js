const base = require('./jest.config');

/**
 * The fault suite (`npm run test:faults`): service processes killed, the relay taken down,
 * PostgreSQL restarted. One file at a time, since the files share the machine's two cores
 * with the processes they spawn. `npm run test:faults:full` runs the longer variants.
 */
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.faults.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 180_000,
};
