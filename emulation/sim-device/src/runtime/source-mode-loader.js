// Lets an app worker run from TypeScript sources (jest runs src/ without a build):
// compiles .ts files with @swc/core the way the root jest config does, and resolves
// workspace packages ("@wasmbed/x") to their src/index.ts. Only ever loaded when
// this package itself runs from .ts files; the built package never uses it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const workspacePackage = /^@wasmbed\/[^/]+$/.test(request);
  if (workspacePackage) {
    const manifest = resolveFilename.call(this, request + '/package.json', parent, ...rest);
    const source = path.join(path.dirname(manifest), 'src', 'index.ts');
    if (fs.existsSync(source)) return source;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
