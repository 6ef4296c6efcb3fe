import {
  AppLoadError,
  prepareModule,
  type LoadFailureReason,
  type PreparedModule,
} from '@wasmbed/example-apps';
import {
  MAX_REASON_BYTES,
  ProtocolError,
  checkManifestAgainst,
  decodeManifest,
  verifyManifest,
  type DeployBody,
  type ErrorInfo,
  type Manifest,
  type ProtocolErrorCode,
  type RuntimeCapabilities,
} from '@wasmbed/protocol';
import { clipUtf8 } from '../support/clip-utf8';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorInfo };

export interface DeployPolicy {
  readonly runtime: RuntimeCapabilities;
  /** RAM the device can give one app. */
  readonly ramBytes: number;
  /** Raw Ed25519 keys whose manifests this device runs; undefined = any key (the gateway is trusted to filter). */
  readonly trustedPublisherKeys?: readonly Uint8Array[];
}

export function failure(code: ProtocolErrorCode, message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code, message: clipUtf8(message, MAX_REASON_BYTES) } };
}

/**
 * Everything a device checks on Deploy before pulling a byte of the module: the
 * publisher, the signature over the exact manifest bytes received, the manifest
 * itself, and that this device can run what it describes.
 */
export function checkDeploy(body: DeployBody, policy: DeployPolicy): Checked<Manifest> {
  const trusted = policy.trustedPublisherKeys;
  if (trusted && !trusted.some((key) => Buffer.from(key).equals(body.publisherKey))) {
    return failure('untrusted_publisher', 'the publisher key is not trusted by this device');
  }
  if (!verifyManifest(body.manifest, body.signature, body.publisherKey)) {
    return failure('bad_signature', 'the manifest signature does not verify with the publisher key');
  }
  let manifest: Manifest;
  try {
    manifest = decodeManifest(body.manifest);
  } catch (err) {
    if (err instanceof ProtocolError) return failure('invalid_manifest', err.message);
    throw err;
  }
  if (manifest.revision !== body.revision) {
    return failure('invalid_manifest', `manifest revision ${manifest.revision} differs from Deploy revision ${body.revision}`);
  }
  const [problem] = checkManifestAgainst(manifest, null, policy.runtime);
  if (problem) return failure(problem.code, problem.message);
  if (manifest.memoryLimitBytes > policy.ramBytes) {
    return failure('limit_exceeded', `memory limit of ${manifest.memoryLimitBytes} bytes exceeds the device's ${policy.ramBytes} bytes of RAM`);
  }
  return { ok: true, value: manifest };
}

/**
 * The checks once the module is in, before anything of it runs: size and SHA-256
 * against the signed manifest, then the ABI's load-time checks (prepareModule),
 * offering only host functions that both the device has and the manifest declares,
 * and capping memory at the manifest's limit.
 */
export function checkModule(manifest: Manifest, moduleBytes: Uint8Array, runtime: RuntimeCapabilities): Checked<PreparedModule> {
  const [problem] = checkManifestAgainst(manifest, moduleBytes, runtime);
  if (problem) return failure(problem.code, problem.message);
  const declared = new Set(manifest.hostFunctions);
  try {
    return {
      ok: true,
      value: prepareModule(moduleBytes, {
        entryPoint: manifest.entryPoint,
        memoryLimitBytes: manifest.memoryLimitBytes,
        hostFunctions: runtime.hostFunctions.filter((name) => declared.has(name)),
      }),
    };
  } catch (err) {
    if (err instanceof AppLoadError) return failure(LOAD_FAILURE_CODES[err.reason], err.message);
    throw err;
  }
}

const LOAD_FAILURE_CODES: Record<LoadFailureReason, ProtocolErrorCode> = {
  invalid_module: 'instantiate_failed',
  missing_host_function: 'missing_host_function',
  memory_limit: 'limit_exceeded',
};
