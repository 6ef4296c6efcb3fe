import { WasmbedError } from '@wasmbed/errors';

/** A device id that cannot name a device (and so cannot be a subject token). */
export class InvalidDeviceId extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(readonly deviceId: string) {
    super(`invalid device id '${deviceId}': must be a lowercase DNS label (letters, digits, '-', at most 63)`, { deviceId });
  }
}

/** A bus message (command, reply, status, log, liveness record) that does not match its schema. */
export class InvalidBusMessage extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(
    readonly what: string,
    readonly issues: readonly string[],
  ) {
    super(`invalid ${what}: ${issues.join('; ')}`, { what, issues });
  }
}

/** No module with this SHA-256 is in the module store. */
export class ModuleNotFound extends WasmbedError {
  readonly code = 'not_found' as const;
  constructor(readonly sha256: string) {
    super(`module ${sha256} is not in the module store`, { sha256 });
  }
}

/** Stored module bytes do not hash to their key: never hand them to a device. */
export class ModuleIntegrityError extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(
    readonly sha256: string,
    readonly reason: string,
  ) {
    super(`module ${sha256} failed verification: ${reason}`, { sha256, reason });
  }
}

/** The module store could not be reached or refused the request. */
export class ModuleStoreUnavailable extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(operation: string, options?: { cause?: unknown }) {
    super(`module store ${operation} failed: ${describeCause(options?.cause)}`, { operation }, options);
  }
}

/** The liveness bucket could not be reached or refused the request. */
export class LivenessStoreUnavailable extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(operation: string, options?: { cause?: unknown }) {
    super(`liveness store ${operation} failed: ${describeCause(options?.cause)}`, { operation }, options);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** The device log stream could not be reached, set up or read. */
export class DeviceLogStoreUnavailable extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(operation: 'setup' | 'read' | 'follow', options?: { cause?: unknown }) {
    super(`device log store ${operation} failed: ${describeCause(options?.cause)}`, { operation }, options);
  }
}
