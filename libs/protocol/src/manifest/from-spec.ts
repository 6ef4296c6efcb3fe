import { ProtocolError } from '../errors';
import type { Manifest } from './manifest';

/**
 * The parts of an application revision a manifest is made of. Structurally the
 * control plane's ApplicationSpec, so the publisher (CLI) and the platform
 * (app-controller) derive the very same manifest bytes from one spec.
 */
export interface ManifestSource {
  readonly name: string;
  readonly revision: number;
  readonly module: { readonly sha256: string; readonly sizeBytes: number };
  readonly entryPoint: string;
  readonly requiredHostFunctions: readonly string[];
  readonly config: {
    readonly memoryLimitBytes: number;
    readonly cpuTimeLimitMs: number;
    readonly env: Readonly<Record<string, string>>;
    readonly args: readonly string[];
    readonly autoRestart: boolean;
    readonly maxRestarts: number;
  };
}

/**
 * Builds the manifest for one revision. Host functions are sorted bytewise (the
 * manifest holds a set); `restart` is left out when auto-restart is off, so a
 * manifest without a restart policy encodes as it did before the field existed.
 * Validation happens in encodeManifest.
 */
export function manifestFromSource(source: ManifestSource): Manifest {
  const { config } = source;
  if (!/^[0-9a-fA-F]{64}$/.test(source.module.sha256)) {
    throw new ProtocolError('invalid_manifest', 'must be 64 hex digits', { path: 'manifest.sha256' });
  }
  const hostFunctions = [...new Set(source.requiredHostFunctions)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return {
    name: source.name,
    revision: source.revision,
    sha256: Uint8Array.from(Buffer.from(source.module.sha256, 'hex')),
    sizeBytes: source.module.sizeBytes,
    entryPoint: source.entryPoint,
    hostFunctions,
    memoryLimitBytes: config.memoryLimitBytes,
    cpuTimeLimitMs: config.cpuTimeLimitMs,
    config: { env: { ...config.env }, args: [...config.args] },
    ...(config.autoRestart ? { restart: { autoRestart: true, maxRestarts: config.maxRestarts } } : {}),
  };
}
