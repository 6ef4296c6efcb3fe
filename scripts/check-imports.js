#!/usr/bin/env node
// Enforces package boundaries: code may import another workspace package only by
// its name ("@wasmbed/x"), never a deep path ("@wasmbed/x/src/..") and never a
// relative path that climbs into another package's folder.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const packageRoots = ['libs', 'services', 'bench', 'e2e', 'emulation', 'tools'];
const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function packageDirOf(file) {
  let dir = path.dirname(file);
  while (dir.startsWith(root) && dir !== root) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return root;
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.turbo', 'gen'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (/\.(ts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
}

const problems = [];
for (const top of packageRoots) {
  const base = path.join(root, top);
  if (!fs.existsSync(base)) continue;
  for (const file of walk(base)) {
    const src = fs.readFileSync(file, 'utf8');
    const own = packageDirOf(file);
    for (const m of src.matchAll(importRe)) {
      const spec = m[1] || m[2] || m[3];
      if (/^@wasmbed\/[^/]+\/.+/.test(spec)) {
        problems.push(`${path.relative(root, file)}: deep import "${spec}" (import "@wasmbed/<pkg>" only)`);
      } else if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        if (!target.startsWith(own + path.sep) && target !== own) {
          problems.push(`${path.relative(root, file)}: relative import "${spec}" leaves its package`);
        }
      }
    }
  }
}
if (problems.length) {
  console.error(`Import boundary violations:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('import boundaries: ok');
