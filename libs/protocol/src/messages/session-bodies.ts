import { appList, code, endpoint, featureList, hostFunctionSet, id, reason, shortText, u32, u53, type AppSummary } from '../fields';
import {
  MAX_APPS,
  MAX_HEARTBEAT_INTERVAL_MS,
  MAX_RETRY_AFTER_MS,
  MAX_U32,
  MIN_DEVICE_FRAME_BYTES,
  MIN_HEARTBEAT_INTERVAL_MS,
  MIN_RETRY_AFTER_MS,
} from '../limits';
import { arrayOf, bool, optional, record, uint, type Schema } from '../schema';

// Bodies of the messages that open, keep and close a session (docs/protocol.md §6.1).

/** The device's WebAssembly runtime: what it can load and which host functions it offers. */
export interface RuntimeInfo {
  readonly name: string;
  readonly version: string;
  readonly maxModuleBytes: number;
  readonly maxInstances: number;
  readonly hostFunctions: readonly string[];
}

/** device → gateway, first message of every session. */
export interface HelloBody {
  readonly firmware: string;
  readonly board: string;
  readonly arch: string;
  readonly ramBytes: number;
  /** The device's receive limit; the gateway never sends a larger frame. */
  readonly maxFrameBytes: number;
  readonly runtime: RuntimeInfo;
  readonly apps: readonly AppSummary[];
  /** Optional behaviours the device implements (DEVICE_FEATURES), e.g. "redirect". */
  readonly features?: readonly string[];
}

/** gateway → device: the device is enrolled; the session is established. */
export interface WelcomeBody {
  readonly deviceId: string;
  readonly gatewayId: string;
  readonly heartbeatIntervalMs: number;
  readonly serverTimeMs: number;
}

/** gateway → device: the identity awaits approval. */
export interface EnrollmentPendingBody {
  readonly retryAfterMs: number;
  readonly reason: string;
}

/** gateway → device: enrollment refused (or identity revoked); the gateway closes. */
export interface RejectedBody {
  readonly reason: string;
  readonly code: string;
}

export interface HeartbeatBody {
  readonly seq: number;
  readonly uptimeMs: number;
  readonly freeMemoryBytes: number;
  readonly apps: readonly AppSummary[];
}

export interface HeartbeatAckBody {
  readonly seq: number;
  readonly serverTimeMs: number;
}

/** Either direction: a protocol failure. `fatal` means the sender closes after it. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly fatal: boolean;
  /** With unsupported_version: the versions the sender speaks. */
  readonly supportedVersions?: readonly number[];
}

/** gateway → device before a deliberate close. */
export interface ByeBody {
  readonly reason: string;
  /** When the device may reconnect; absent = its usual backoff, or at once with `endpoint`. */
  readonly retryAfterMs?: number;
  /** "host:port" of the gateway to use next (reason "rebalance"), for devices that announced "redirect". */
  readonly endpoint?: string;
}

const retryAfterMs = uint(MIN_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS);

export const helloBody: Schema<HelloBody> = record({
  firmware: shortText,
  board: shortText,
  arch: shortText,
  ramBytes: u53,
  maxFrameBytes: uint(MIN_DEVICE_FRAME_BYTES, MAX_U32),
  runtime: record({
    name: shortText,
    version: shortText,
    maxModuleBytes: u32,
    maxInstances: uint(0, MAX_APPS),
    hostFunctions: hostFunctionSet('unique'),
  }),
  apps: appList,
  features: optional(featureList),
});

export const welcomeBody: Schema<WelcomeBody> = record({
  deviceId: id,
  gatewayId: id,
  heartbeatIntervalMs: uint(MIN_HEARTBEAT_INTERVAL_MS, MAX_HEARTBEAT_INTERVAL_MS),
  serverTimeMs: u53,
});

export const enrollmentPendingBody: Schema<EnrollmentPendingBody> = record({ retryAfterMs, reason });

export const rejectedBody: Schema<RejectedBody> = record({ reason, code });

export const heartbeatBody: Schema<HeartbeatBody> = record({
  seq: uint(1, MAX_U32),
  uptimeMs: u53,
  freeMemoryBytes: u53,
  apps: appList,
});

export const heartbeatAckBody: Schema<HeartbeatAckBody> = record({ seq: uint(1, MAX_U32), serverTimeMs: u53 });

export const errorBody: Schema<ErrorBody> = record({
  code,
  message: reason,
  fatal: bool(),
  supportedVersions: optional(arrayOf(uint(1, 0xffff), 8, 'unique')),
});

export const byeBody: Schema<ByeBody> = record({ reason: code, retryAfterMs: optional(retryAfterMs), endpoint: optional(endpoint) });
