import { WasmbedError, type ErrorCode } from '@wasmbed/errors';

/** Exit statuses of `wasmbed` (documented in the README). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The command line itself is wrong: unknown command or flag, missing or malformed value. Exit 2. */
export class UsageError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  /** The command whose help explains the fix, e.g. "device list"; empty = the top level. */
  constructor(message: string, readonly command: string = '') {
    super(message, { command });
  }
}

/** A local input the command needs is unusable: unreadable file, invalid module or key. Exit 1. */
export class InputError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {}, options);
  }
}

/** A file the command would write already exists. Exit 1. */
export class OutputExistsError extends WasmbedError {
  readonly code = 'already_exists' as const;
  constructor(readonly path: string) {
    super(`${path} already exists; pass --force to overwrite it`, { path });
  }
}

/** The api could not be reached, or did not answer in time. Exit 1. */
export class ApiUnavailableError extends WasmbedError {
  readonly code = 'unavailable' as const;
}

/** No token, or one the api does not accept. Exit 1. */
export class ApiUnauthenticatedError extends WasmbedError {
  readonly code = 'unauthenticated' as const;
}

/** The token's role is below what the method needs. Exit 1. */
export class ApiPermissionDeniedError extends WasmbedError {
  readonly code = 'permission_denied' as const;
}

/**
 * The api refused or failed a call (not found, invalid argument, precondition,
 * conflict...). Its code follows the gRPC status, so it is set per instance.
 */
export class ApiRequestError extends WasmbedError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The server's domain error name (`wasmbed-error-name`), e.g. DeviceNotFound. */
    readonly errorName?: string,
  ) {
    super(message, errorName === undefined ? {} : { errorName });
  }
}

/** The exit status an error ends the process with. */
export function exitCodeOf(err: unknown): number {
  return err instanceof UsageError ? EXIT.usage : EXIT.failure;
}

/** A flag or argument value that does not parse; the caller names the flag. */
export class InvalidValueError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
}
