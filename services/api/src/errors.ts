import { WasmbedError } from '@wasmbed/errors';

/** A query parameter (selector, page token, filter) that cannot be used. */
export class InvalidQuery extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`invalid ${field}: ${reason}`, { field, reason });
  }
}

/** A read-model lookup by name found nothing. */
export class ResourceNotFound extends WasmbedError {
  readonly code = 'not_found' as const;
  constructor(
    readonly resource: 'device' | 'gateway' | 'application',
    readonly names: readonly string[],
  ) {
    super(
      names.length === 1 ? `${resource} '${names[0]}' not found` : `${resource}s not found: ${names.join(', ')}`,
      { resource, names },
    );
  }
}

/** A request the service understands but does not support (yet). */
export class UnsupportedRequest extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} is not supported: ${reason}`, { field, reason });
  }
}

/** RollbackRollout named a revision other than the one the domain rolls back to. */
export class RollbackRevisionMismatch extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(
    readonly application: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(
      `cannot roll application '${application}' back to revision ${requested}: a rollback returns to the last revision whose rollout completed, which is ${available} (send to_revision 0 or ${available})`,
      { application, requested, available },
    );
  }
}
