/**
 * Transport-neutral error categories. gRPC, HTTP and the device protocol each map
 * these to their own status values, so domain code never imports a transport.
 */
export const ERROR_CODES = [
  'invalid_argument',
  'not_found',
  'already_exists',
  'conflict',
  'failed_precondition',
  'unauthenticated',
  'permission_denied',
  'resource_exhausted',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base of every named error in Wasmbed. `details` must never carry secrets. */
export abstract class WasmbedError extends Error {
  abstract readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }

  toJSON(): { name: string; code: ErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export function isWasmbedError(err: unknown): err is WasmbedError {
  return err instanceof WasmbedError;
}
