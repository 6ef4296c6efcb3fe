// Test-only: loads a dashboard asset (a browser ES module) into a unit test.
// jest here transforms TypeScript only, so the module's own bytes (the very file
// the api serves) are turned into CommonJS with swc, the transpiler jest uses,
// and evaluated in the test's realm; its relative imports load the same way.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { transformSync } from '@swc/core';
import { DASHBOARD_ASSETS_DIR } from '../assets-dir';

const cache = new Map<string, unknown>();

export function loadBrowserModule<T>(name: string): T {
  const cached = cache.get(name);
  if (cached !== undefined) return cached as T;
  const source = readFileSync(resolve(DASHBOARD_ASSETS_DIR, name), 'utf8');
  const { code } = transformSync(source, {
    filename: name,
    jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  const exports: Record<string, unknown> = {};
  cache.set(name, exports);
  const requireSibling = (specifier: string): unknown => {
    if (!specifier.startsWith('./')) throw new Error(`${name}: a dashboard module may import only its siblings, not '${specifier}'`);
    return loadBrowserModule(specifier.slice(2));
  };
  // Runs in this realm on purpose (a vm context would bring its own Map, Array…).
  new Function('exports', 'require', `${code}\n//# sourceURL=dashboard/${name}`)(exports, requireSibling);
  return exports as T;
}
