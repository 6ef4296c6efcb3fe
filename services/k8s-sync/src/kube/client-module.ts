import { constants, Script } from 'node:vm';
import type * as KubernetesClient from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export type KubernetesClientModule = typeof KubernetesClient;

let loaded: Promise<KubernetesClientModule> | undefined;

/**
 * @kubernetes/client-node 1.x is ESM only. Compiled CommonJS keeps `import()` as is, and
 * Node loads it; under jest (which compiles `import()` to a require of its own that
 * cannot load ESM) the module is imported through Node's own loader instead, from the
 * main context. One module instance per process either way.
 */
export function loadKubernetesClient(): Promise<KubernetesClientModule> {
  return (loaded ??= importClient());
}

async function importClient(): Promise<KubernetesClientModule> {
  try {
    return await import('@kubernetes/client-node');
  } catch (err) {
    if (!isRequireOfEsm(err)) throw err;
    const mainContextImport = new Script('(specifier) => import(specifier)', { importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }).runInThisContext() as (
      specifier: string,
    ) => Promise<KubernetesClientModule>;
    return mainContextImport('@kubernetes/client-node');
  }
}

function isRequireOfEsm(err: unknown): boolean {
  const text = err instanceof Error ? `${(err as { code?: string }).code ?? ''} ${err.message}` : String(err);
  return /ERR_REQUIRE_ESM|ES Module|import to load/i.test(text);
}
