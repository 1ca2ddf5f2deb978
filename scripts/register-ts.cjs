// Runs the project's TypeScript sources in plain Node without a build: each .ts file is compiled
// on require with swc, the options jest.config.js uses (decorator metadata included), so a script
// sees the same modules the app is built from. Node 20 require()s the ES-only dependencies itself.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

require('reflect-metadata');

const root = join(__dirname, '..');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

/** A module of the project, by its path from the repository root (`src/api-document.ts`). */
exports.load = (path) => require(join(root, path));
exports.root = root;
