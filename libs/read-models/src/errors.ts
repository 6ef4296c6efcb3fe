import { WasmbedError } from '@wasmbed/errors';

/** The projection stopped on an error and will not advance until an operator acts (fix + start, or rebuild). */
export class ProjectionFailedError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(projection: string, context: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`projection ${projection} failed on context ${context}: ${reason}`, { projection, context }, { cause });
  }
}

/** The projection did not reach the position in time (it may still, later). */
export class PositionWaitTimeoutError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(projection: string, context: string, position: number, checkpoint: number, timeoutMs: number) {
    super(
      `projection ${projection} did not reach ${context} position ${position} within ${timeoutMs} ms (at ${checkpoint})`,
      { projection, context, position, checkpoint, timeoutMs },
    );
  }
}

/** The runner was stopped while a caller waited for it. */
export class ProjectionStoppedError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(projection: string) {
    super(`projection ${projection} was stopped`, { projection });
  }
}

/** Stored read-model data cannot be decoded: someone else wrote into the bucket, or it is damaged. */
export class CorruptReadModelError extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, details, { cause });
  }
}
