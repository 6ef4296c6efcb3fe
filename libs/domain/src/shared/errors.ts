import { WasmbedError } from '@wasmbed/errors';

/** A command field failed validation; `field` is its path inside the command, e.g. `data.publicKey`. */
export class InvalidCommand extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`invalid ${field}: ${reason}`, { field, reason });
  }
}

/** The aggregate's current state does not allow the command. */
export class InvalidTransition extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(
    readonly command: string,
    readonly aggregate: string,
    readonly aggregateId: string,
    readonly from: string,
  ) {
    super(`cannot ${command}: ${aggregate} '${aggregateId}' is ${from}`, { command, aggregate, aggregateId, from });
  }
}

/** Base of `<Aggregate>NotFound`: a command needs an existing aggregate but its stream is empty. */
export abstract class AggregateNotFound extends WasmbedError {
  readonly code = 'not_found' as const;
  constructor(
    readonly aggregate: string,
    readonly aggregateId: string,
  ) {
    super(`${aggregate} '${aggregateId}' not found`, { aggregate, aggregateId });
  }
}

/** Base of `<Aggregate>AlreadyExists`: a create command hit an existing aggregate. */
export abstract class AggregateAlreadyExists extends WasmbedError {
  readonly code = 'already_exists' as const;
  constructor(
    readonly aggregate: string,
    readonly aggregateId: string,
    readonly status: string,
  ) {
    super(`${aggregate} '${aggregateId}' already exists (${status})`, { aggregate, aggregateId, status });
  }
}

/**
 * evolve met an event its state cannot follow: the stream is corrupt or was
 * written by another decider. Never caused by user input.
 */
export class UnexpectedEvent extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(
    readonly aggregate: string,
    readonly eventType: string,
    readonly state: string,
  ) {
    super(`${aggregate} event ${eventType} cannot follow state ${state}`, { aggregate, eventType, state });
  }
}
