import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import type { ErrorCode, WasmbedError } from '@wasmbed/errors';

export const ERROR_NAME_METADATA_KEY = 'wasmbed-error-name';
/** Binary (`-bin`) entry holding the error's details as UTF-8 JSON. */
export const ERROR_DETAILS_METADATA_KEY = 'wasmbed-error-details-bin';

/** gRPC status for each transport-neutral error code. */
export const GRPC_STATUS_BY_ERROR_CODE: Readonly<Record<ErrorCode, status>> = {
  invalid_argument: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
  already_exists: status.ALREADY_EXISTS,
  // ABORTED, not FAILED_PRECONDITION: a concurrency conflict is worth retrying
  // after re-reading, which is what gRPC clients understand ABORTED to mean.
  conflict: status.ABORTED,
  failed_precondition: status.FAILED_PRECONDITION,
  unauthenticated: status.UNAUTHENTICATED,
  permission_denied: status.PERMISSION_DENIED,
  resource_exhausted: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
  internal: status.INTERNAL,
};

/**
 * The status a WasmbedError is answered with: its message, plus its name and
 * details in trailing metadata so clients can tell e.g. DeviceNotFound from
 * GatewayNotFound without parsing messages.
 */
export function wasmbedErrorToStatus(err: WasmbedError): StatusObject {
  const metadata = new Metadata();
  metadata.set(ERROR_NAME_METADATA_KEY, err.name);
  metadata.set(ERROR_DETAILS_METADATA_KEY, Buffer.from(detailsJson(err.details), 'utf8'));
  return { code: GRPC_STATUS_BY_ERROR_CODE[err.code], details: err.message, metadata };
}

function detailsJson(details: Readonly<Record<string, unknown>>): string {
  try {
    return JSON.stringify(details);
  } catch {
    // Cycles or bigints: the name and message still go out.
    return '{}';
  }
}

/** Client side: the domain error name and details a Wasmbed server attached to a status. */
export function readErrorMetadata(metadata: Metadata): { name?: string; details?: unknown } {
  const [name] = metadata.get(ERROR_NAME_METADATA_KEY);
  const [details] = metadata.get(ERROR_DETAILS_METADATA_KEY);
  const info: { name?: string; details?: unknown } = {};
  if (typeof name === 'string') info.name = name;
  if (Buffer.isBuffer(details)) {
    try {
      info.details = JSON.parse(details.toString('utf8'));
    } catch {
      info.details = undefined;
    }
  }
  return info;
}
