#!/usr/bin/env node
// Committed entry so npm can link the `wasmbed` bin before the first build.
'use strict';
try {
  require.resolve('../dist/main.js');
} catch {
  process.stderr.write('wasmbed: the CLI is not built yet; run `npm run build` (or `npm run setup`) at the repository root\n');
  process.exit(1);
}
require('../dist/main.js');
