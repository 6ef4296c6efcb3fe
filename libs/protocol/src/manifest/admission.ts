import type { ProtocolErrorCode } from '../errors';
import type { Manifest } from './manifest';
import { moduleSha256 } from './signing';

/** What the target runtime offers (Hello's `runtime` fits). */
export interface RuntimeCapabilities {
  readonly maxModuleBytes: number;
  readonly hostFunctions: readonly string[];
}

export interface ManifestProblem {
  /** The DeployResult error code a device reports for it. */
  readonly code: Extract<ProtocolErrorCode, 'bad_hash' | 'module_too_large' | 'missing_host_function'>;
  readonly message: string;
  /** For missing_host_function: which one. */
  readonly hostFunction?: string;
}

/**
 * Every reason why this module cannot run under this manifest on this runtime;
 * empty when it can. `moduleBytes` null skips the module checks (a device checks
 * capabilities on Deploy, before the module has arrived, and the hash after).
 * Platform admission and devices both use it, so they agree on what is deployable.
 */
export function checkManifestAgainst(
  manifest: Manifest,
  moduleBytes: Uint8Array | null,
  capabilities: RuntimeCapabilities,
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  if (moduleBytes !== null) {
    if (moduleBytes.length !== manifest.sizeBytes) {
      problems.push({ code: 'bad_hash', message: `module is ${moduleBytes.length} bytes, the manifest says ${manifest.sizeBytes}` });
    } else if (Buffer.compare(moduleSha256(moduleBytes), manifest.sha256) !== 0) {
      problems.push({ code: 'bad_hash', message: 'module SHA-256 differs from the manifest' });
    }
  }
  if (manifest.sizeBytes > capabilities.maxModuleBytes) {
    problems.push({
      code: 'module_too_large',
      message: `module of ${manifest.sizeBytes} bytes exceeds the runtime's ${capabilities.maxModuleBytes}`,
    });
  }
  const offered = new Set(capabilities.hostFunctions);
  for (const hostFunction of manifest.hostFunctions) {
    if (!offered.has(hostFunction)) {
      problems.push({ code: 'missing_host_function', message: `runtime lacks host function ${hostFunction}`, hostFunction });
    }
  }
  return problems;
}
