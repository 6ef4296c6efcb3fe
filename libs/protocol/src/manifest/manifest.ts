import { decodeCbor } from '../cbor/decode';
import { encodeCbor } from '../cbor/encode';
import type { CborValue } from '../cbor/values';
import { ProtocolError } from '../errors';
import { hostFunctionSet, id, revision, sha256, u32 } from '../fields';
import { MAX_CONFIG_ENTRIES, MAX_CONFIG_VALUE_BYTES, MAX_MANIFEST_BYTES, MAX_U32 } from '../limits';
import { arrayOf, bool, optional, record, text, textMap, uint, type Schema } from '../schema';

/**
 * What an application publisher signs. Deploy carries its deterministic encoding,
 * so signer, platform and device all see the very same bytes.
 */
export interface Manifest {
  readonly name: string;
  readonly revision: number;
  /** SHA-256 of the WebAssembly module. */
  readonly sha256: Uint8Array;
  readonly sizeBytes: number;
  /** Exported function the runtime calls to start the app. */
  readonly entryPoint: string;
  /** Host functions the module imports: unique, in ascending bytewise order. */
  readonly hostFunctions: readonly string[];
  readonly memoryLimitBytes: number;
  /** 0 = no CPU time limit. */
  readonly cpuTimeLimitMs: number;
  readonly config: ManifestConfig;
  /** What the device does when a run ends by itself; absent = never restart. */
  readonly restart?: RestartPolicy;
}

export interface RestartPolicy {
  readonly autoRestart: boolean;
  /** Restarts allowed for one deployment; after that the app stays Failed. */
  readonly maxRestarts: number;
}

export interface ManifestConfig {
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
}

export const ENTRY_POINT_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$.-]*$/;
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const configValue = text(0, MAX_CONFIG_VALUE_BYTES);

/** Closed records: an unknown field could not be signed off on by a device that ignores it. */
export const manifestSchema: Schema<Manifest> = record(
  {
    name: id,
    revision,
    sha256,
    sizeBytes: uint(1, MAX_U32),
    entryPoint: text(1, 128, ENTRY_POINT_PATTERN),
    hostFunctions: hostFunctionSet('sorted'),
    memoryLimitBytes: uint(1, MAX_U32),
    cpuTimeLimitMs: u32,
    config: record(
      {
        env: textMap(text(1, 128, ENV_NAME_PATTERN), configValue, MAX_CONFIG_ENTRIES),
        args: arrayOf(configValue, MAX_CONFIG_ENTRIES),
      },
      { closed: true },
    ),
    restart: optional(record({ autoRestart: bool(), maxRestarts: u32 }, { closed: true })),
  },
  { closed: true },
);

const INVALID_MANIFEST = { code: 'invalid_manifest' } as const;

/** The manifest's deterministic CBOR encoding: the bytes to sign and to put in Deploy. */
export function encodeManifest(manifest: Manifest): Uint8Array {
  const bytes = encodeCbor(manifestSchema.parse(manifest, 'manifest', INVALID_MANIFEST) as unknown as CborValue);
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new ProtocolError('invalid_manifest', `encodes to ${bytes.length} bytes, more than ${MAX_MANIFEST_BYTES}`, { path: 'manifest' });
  }
  return bytes;
}

/**
 * Strict inverse of encodeManifest: rejects (ProtocolError invalid_manifest) any
 * encoding that is not deterministic, and unknown or missing fields. So a manifest
 * has exactly one accepted byte string, and what was verified is what is read.
 */
export function decodeManifest(bytes: Uint8Array): Manifest {
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new ProtocolError('invalid_manifest', `${bytes.length} bytes, more than ${MAX_MANIFEST_BYTES}`, { path: 'manifest' });
  }
  const value = decodeCbor(bytes, { deterministic: true, errorCode: 'invalid_manifest' });
  return manifestSchema.parse(value, 'manifest', INVALID_MANIFEST);
}
