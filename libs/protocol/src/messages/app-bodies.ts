import { APP_STATES, errorInfo, id, revision, sha256, u32, u53, type AppState, type ErrorInfo } from '../fields';
import { MAX_CHUNK_DATA_BYTES, MAX_LOG_MESSAGE_BYTES, MAX_MANIFEST_BYTES, MAX_U32 } from '../limits';
import { bool, bytes, oneOf, optional, record, refine, text, uint, type Schema } from '../schema';

// Bodies of the messages that deploy, run and stop applications (docs/protocol.md §6.2).

/** gateway → device: install `revision` of `appId`; the module itself is pulled with ModuleRequest. */
export interface DeployBody {
  readonly appId: string;
  readonly revision: number;
  /** The manifest's deterministic CBOR encoding: exactly the bytes the publisher signed. */
  readonly manifest: Uint8Array;
  /** Ed25519 signature over `manifest`. */
  readonly signature: Uint8Array;
  /** The publisher's raw Ed25519 public key. */
  readonly publisherKey: Uint8Array;
}

/** device → gateway: send module bytes from `offset`, at most `maxBytes` of them. */
export interface ModuleRequestBody {
  readonly appId: string;
  readonly revision: number;
  readonly offset: number;
  readonly maxBytes: number;
}

/** gateway → device: module bytes [offset, offset + data.length) of a module of `totalBytes`. */
export interface ModuleChunkBody {
  readonly appId: string;
  readonly revision: number;
  readonly offset: number;
  readonly data: Uint8Array;
  readonly totalBytes: number;
}

/** device → gateway: outcome of a Deploy; `sha256` (when ok) is the hash of the module now running. */
export interface DeployResultBody {
  readonly appId: string;
  readonly revision: number;
  readonly ok: boolean;
  readonly sha256?: Uint8Array;
  readonly error?: ErrorInfo;
}

export interface StopBody {
  readonly appId: string;
}

export interface StopResultBody {
  readonly appId: string;
  readonly ok: boolean;
  readonly error?: ErrorInfo;
}

/** device → gateway whenever an app's state changes. */
export interface AppStatusBody {
  readonly appId: string;
  readonly revision: number;
  readonly state: AppState;
  readonly restarts: number;
  readonly error?: ErrorInfo;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppLogBody {
  readonly appId: string;
  readonly level: LogLevel;
  readonly message: string;
  /** Device time (ms since the Unix epoch), derived from Welcome/HeartbeatAck serverTimeMs. */
  readonly timeMs: number;
}

/** ok ⇒ no error (and `sha256` when `needsHash`); not ok ⇒ an error saying why. */
function outcomeRule(needsHash: boolean) {
  return (body: { ok: boolean; sha256?: Uint8Array; error?: ErrorInfo }) => {
    if (body.ok && body.error) return { field: 'error', problem: 'must be absent when ok is true' };
    if (body.ok && needsHash && !body.sha256) return { field: 'sha256', problem: 'is required when ok is true' };
    if (!body.ok && !body.error) return { field: 'error', problem: 'is required when ok is false' };
    return null;
  };
}

const offset = uint(0, MAX_U32 - 1);

export const deployBody: Schema<DeployBody> = record({
  appId: id,
  revision,
  manifest: bytes(1, MAX_MANIFEST_BYTES),
  signature: bytes(64),
  publisherKey: bytes(32),
});

export const moduleRequestBody: Schema<ModuleRequestBody> = record({
  appId: id,
  revision,
  offset,
  maxBytes: uint(1, MAX_CHUNK_DATA_BYTES),
});

export const moduleChunkBody: Schema<ModuleChunkBody> = refine(
  record({ appId: id, revision, offset, data: bytes(1, MAX_CHUNK_DATA_BYTES), totalBytes: uint(1, MAX_U32) }),
  (body) => (body.offset + body.data.length > body.totalBytes ? { field: 'data', problem: 'extends past totalBytes' } : null),
);

export const deployResultBody: Schema<DeployResultBody> = refine(
  record({ appId: id, revision, ok: bool(), sha256: optional(sha256), error: optional(errorInfo) }),
  outcomeRule(true),
);

export const stopBody: Schema<StopBody> = record({ appId: id });

export const stopResultBody: Schema<StopResultBody> = refine(
  record({ appId: id, ok: bool(), error: optional(errorInfo) }),
  outcomeRule(false),
);

export const appStatusBody: Schema<AppStatusBody> = record({
  appId: id,
  revision,
  state: oneOf(APP_STATES),
  restarts: u32,
  error: optional(errorInfo),
});

export const appLogBody: Schema<AppLogBody> = record({
  appId: id,
  level: oneOf(LOG_LEVELS),
  message: text(0, MAX_LOG_MESSAGE_BYTES),
  timeMs: u53,
});
