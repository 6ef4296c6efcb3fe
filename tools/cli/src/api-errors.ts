import { Metadata, status } from '@grpc/grpc-js';
import type { ErrorCode, WasmbedError } from '@wasmbed/errors';
import { readErrorMetadata, type Role } from '@wasmbed/grpc-kit';
import { ApiPermissionDeniedError, ApiRequestError, ApiUnauthenticatedError, ApiUnavailableError } from './errors';
import { formatDuration } from './output/format';

/** The four gRPC services of the api, by the name the CLI gives their clients. */
export type ServiceKey = 'devices' | 'apps' | 'gateways' | 'admin';

/** One call, as much as an error message needs to know about it. */
export interface CallDescription {
  readonly address: string;
  readonly service: ServiceKey;
  /** The client method, e.g. "registerDevice". */
  readonly method: string;
  /** The deadline the call had; undefined for streams. */
  readonly timeoutMs?: number;
  /** Whether the CLI spoke TLS (--ca, --tls). */
  readonly tls?: boolean;
}

/** What grpc-js rejects a call with. */
export interface GrpcFailure {
  readonly code: number;
  readonly details: string;
  readonly metadata?: Metadata;
}

/** The proto's name of a method: "registerDevice" → "RegisterDevice". */
export function rpcName(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1);
}

/** The role a method needs, as the api README's role table states it. */
export function requiredRole(service: ServiceKey, method: string): Role {
  if (/^(get|list|watch|stream)[A-Z]/.test(method)) return 'viewer';
  return service === 'gateways' || service === 'admin' ? 'admin' : 'operator';
}

const CODE_BY_STATUS: Readonly<Partial<Record<number, ErrorCode>>> = {
  [status.INVALID_ARGUMENT]: 'invalid_argument',
  [status.NOT_FOUND]: 'not_found',
  [status.ALREADY_EXISTS]: 'already_exists',
  [status.ABORTED]: 'conflict',
  [status.FAILED_PRECONDITION]: 'failed_precondition',
  [status.RESOURCE_EXHAUSTED]: 'resource_exhausted',
  [status.OUT_OF_RANGE]: 'invalid_argument',
};

/**
 * A failed call as an error that says what to do. The server's own message is
 * kept where it is the useful part (not found, invalid argument...); transport
 * failures name the address and the flag or variable that fixes them.
 */
export function apiErrorOf(failure: GrpcFailure, call: CallDescription): WasmbedError {
  const errorName = errorNameOf(failure.metadata);
  const rpc = rpcName(call.method);
  switch (failure.code) {
    case status.UNAVAILABLE:
      // A Wasmbed error name means the api itself answered (e.g. read models rebuilding).
      return errorName !== undefined
        ? new ApiUnavailableError(`the api at ${call.address} is unavailable: ${failure.details} (try again shortly)`)
        : new ApiUnavailableError(unreachable(failure.details, call));
    case status.DEADLINE_EXCEEDED:
      return new ApiUnavailableError(
        `the api at ${call.address} did not answer ${rpc} within ${formatDuration(call.timeoutMs ?? 0)} (raise --timeout)`,
      );
    case status.UNAUTHENTICATED:
      return new ApiUnauthenticatedError(
        `token missing or not accepted by the api at ${call.address} (set WASMBED_TOKEN or --token-file)`,
      );
    case status.PERMISSION_DENIED:
      return new ApiPermissionDeniedError(
        `permission denied: ${rpc} needs the ${requiredRole(call.service, call.method)} role or higher; use a token with that role`,
      );
    case status.UNIMPLEMENTED:
      return new ApiRequestError('internal', `the api at ${call.address} does not implement ${rpc} (is it older than this CLI?)`, errorName);
    case status.ABORTED:
      return new ApiRequestError('conflict', `${failure.details} (it changed meanwhile: run the command again)`, errorName);
    case status.CANCELLED:
      return new ApiRequestError('unavailable', `${rpc} was cancelled`, errorName);
    default: {
      const code = CODE_BY_STATUS[failure.code];
      return code !== undefined
        ? new ApiRequestError(code, failure.details, errorName)
        : new ApiRequestError('internal', `the api failed ${rpc}: ${failure.details}`, errorName);
    }
  }
}

const NAME_MISMATCH = /altnames|does not match certificate/i;
const UNTRUSTED = /certificate|self[- ]signed|unable to verify|unable to get (local )?issuer/i;
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|record layer failure/i;
const NOTHING_THERE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/;

/** No connection: in the terms of the flag that fixes it (a TLS failure is named as such). */
function unreachable(details: string, call: CallDescription): string {
  // grpc-js: "No connection established. Last error: Error: <reason>. Resolution note: ..."
  const reason = /Last error: (?:Error: )?(.*?)\.?(?: Resolution note:|$)/s.exec(details)?.[1]?.trim() ?? details;
  if (call.tls && NAME_MISMATCH.test(reason)) {
    return `the TLS certificate of the api at ${call.address} does not name that host (${reason}): set --api to a name or address it holds`;
  }
  if (call.tls && UNTRUSTED.test(reason)) {
    return `the api at ${call.address} presented a TLS certificate this CLI does not trust (${reason}): pass --ca FILE with the CA that issued it (or set WASMBED_API_CA)`;
  }
  if (call.tls && NOT_TLS.test(reason)) return `the api at ${call.address} does not speak TLS: drop --ca and --tls (and WASMBED_API_CA)`;
  const tlsHint = call.tls || NOTHING_THERE.test(reason) ? '' : '; if it serves TLS, pass --ca FILE or --tls';
  return `cannot reach the api at ${call.address} (is the stack running? \`npm start\`; or set --api${tlsHint})`;
}

function errorNameOf(metadata: Metadata | undefined): string | undefined {
  return metadata instanceof Metadata ? readErrorMetadata(metadata).name : undefined;
}

/** True for what grpc-js rejects calls and streams with. */
export function isGrpcFailure(err: unknown): err is GrpcFailure {
  return err instanceof Error && typeof (err as Partial<GrpcFailure>).code === 'number' && typeof (err as Partial<GrpcFailure>).details === 'string';
}
