import {
  MAX_APPS,
  MAX_HOST_FUNCTIONS,
  MAX_ID_BYTES,
  MAX_REASON_BYTES,
  MAX_SHORT_TEXT_BYTES,
  MAX_U32,
  MAX_U53,
} from './limits';
import { ProtocolError } from './errors';
import { arrayOf, bytes, oneOf, optional, record, text, uint, type Schema } from './schema';

// Field types shared by several message bodies and the manifest (CDDL names in docs/protocol.md §5).

/** Platform identifiers (deviceId, gatewayId, appId) and manifest names: ASCII, cheap to compare in C. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Machine-readable codes: error codes, Rejected.code, Bye.reason. */
export const CODE_PATTERN = /^[a-z][a-z0-9_]*$/;
/** A host function a module imports, as "module.name". */
export const HOST_FUNCTION_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

/**
 * A gateway's device endpoint, "host:port": a DNS name or IPv4 address (letters,
 * digits, dots, hyphens) or a bracketed IPv6 address, then a port from 1 to 65535.
 */
export const ENDPOINT_PATTERN = /^(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253}):[1-9][0-9]{0,4}$/;
export const MAX_ENDPOINT_PORT = 65_535;

export const id = text(1, MAX_ID_BYTES, ID_PATTERN);
export const code = text(1, 32, CODE_PATTERN);
export const shortText = text(1, MAX_SHORT_TEXT_BYTES);
export const reason = text(0, MAX_REASON_BYTES);
export const hostFunction = text(1, 64, HOST_FUNCTION_PATTERN);
export const sha256 = bytes(32);
export const u32 = uint(0, MAX_U32);
export const u53 = uint(0, MAX_U53);
export const revision = uint(1, MAX_U32);

const endpointText = text(3, 259, ENDPOINT_PATTERN);

/** ENDPOINT_PATTERN, and a port no higher than 65535 (which a pattern says clumsily). */
export const endpoint: Schema<string> = {
  node: endpointText.node,
  parse(value, path, ctx) {
    const parsed = endpointText.parse(value, path, ctx);
    if (Number(parsed.slice(parsed.lastIndexOf(':') + 1)) > MAX_ENDPOINT_PORT) {
      throw new ProtocolError(ctx.code, `port must be at most ${MAX_ENDPOINT_PORT}`, { ...ctx.info, path });
    }
    return parsed;
  },
};

/** Optional behaviours a device announces in Hello (docs/protocol.md §6.1). */
export const DEVICE_FEATURES = {
  /** The device follows Bye.endpoint to another gateway. */
  redirect: 'redirect',
} as const;
export const MAX_FEATURES = 16;
export const featureList = arrayOf(code, MAX_FEATURES, 'unique');

export const APP_STATES = ['starting', 'running', 'stopped', 'failed'] as const;
export type AppState = (typeof APP_STATES)[number];

/** Why something failed: a code (see PROTOCOL_ERROR_CODES; unknown codes read as internal) and a human message. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

export const errorInfo: Schema<ErrorInfo> = record({ code, message: reason });

/** What a device reports about one application it holds (Hello and Heartbeat). */
export interface AppSummary {
  readonly appId: string;
  readonly revision: number;
  /** SHA-256 of the module the app runs. */
  readonly sha256: Uint8Array;
  readonly state: AppState;
  readonly restarts: number;
  readonly error?: ErrorInfo;
}

export const appSummary: Schema<AppSummary> = record({
  appId: id,
  revision,
  sha256,
  state: oneOf(APP_STATES),
  restarts: u32,
  error: optional(errorInfo),
});

export const appList = arrayOf(appSummary, MAX_APPS);
export const hostFunctionSet = (order: 'unique' | 'sorted') => arrayOf(hostFunction, MAX_HOST_FUNCTIONS, order);
