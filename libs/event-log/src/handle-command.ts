import { ValidationError } from '@wasmbed/errors';
import { deterministicEventId } from './deterministic-event-id';
import { StreamVersionConflict } from './errors';
import type { DomainEvent, EventStore, NewEvent, RecordedEvent, StreamRef } from './types';

/** Emmett-style decider: pure decision and state evolution for one aggregate. */
export interface Decider<C, E extends DomainEvent, S> {
  decide(command: C, state: S): readonly E[];
  evolve(state: S, event: E): S;
  readonly initialState: S | (() => S);
}

export interface CommandMetadata {
  /** Unique per command; retrying with the same id never applies the command twice. */
  readonly commandId: string;
  readonly correlationId: string;
  /** Stored as the events' causationId; defaults to commandId. */
  readonly causationId?: string;
  readonly actor: string;
  /** Decision time; becomes each event's timestamp. */
  readonly now: Date | string;
}

export interface HandleCommandOptions<C, E extends DomainEvent, S> {
  readonly store: EventStore;
  readonly decider: Decider<C, E, S>;
  readonly stream: StreamRef;
  readonly command: C;
  readonly metadata: CommandMetadata;
  /** Re-decisions after a StreamVersionConflict before giving up. Default 3. */
  readonly maxRetries?: number;
}

export interface HandleCommandResult<E extends DomainEvent, S> {
  /** The events this command recorded (empty when it decided nothing). */
  readonly events: RecordedEvent<E>[];
  /** Stream version to expect for the next write. */
  readonly nextExpectedVersion: number;
  /** State after the command's events. */
  readonly state: S;
}

const toDomainEvent = <E extends DomainEvent>(e: RecordedEvent<E>): E => ({ type: e.type, data: e.data }) as E;

function initial<S>(decider: Decider<unknown, DomainEvent, S>): S {
  const init = decider.initialState;
  return typeof init === 'function' ? (init as () => S)() : init;
}

/**
 * Load -> fold -> decide -> append with optimistic concurrency, retried on conflicts.
 * Event ids derive from commandId and index, so a command re-run after a lost ack is
 * recognised (its events are already in the stream) and not applied again. Errors
 * thrown by decide propagate unchanged.
 */
export async function handleCommand<C, E extends DomainEvent, S>(
  options: HandleCommandOptions<C, E, S>,
): Promise<HandleCommandResult<E, S>> {
  const { store, decider, stream, command, metadata } = options;
  const maxRetries = options.maxRetries ?? 3;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new ValidationError('maxRetries must be an integer >= 0', [`maxRetries: ${String(maxRetries)}`]);
  }
  const firstEventId = deterministicEventId(metadata.commandId, 0);
  const timestamp = metadata.now instanceof Date ? metadata.now.toISOString() : metadata.now;

  for (let attempt = 0; ; attempt++) {
    const { events: history, streamVersion } = await store.readStream<E>(stream);
    const state = history.reduce((s, e) => decider.evolve(s, toDomainEvent(e)), initial(decider));

    const earlier = history.find((e) => e.metadata.eventId === firstEventId);
    if (earlier !== undefined) {
      return { events: history.filter((e) => e.position === earlier.position), nextExpectedVersion: streamVersion, state };
    }

    const decided = decider.decide(command, state);
    if (decided.length === 0) return { events: [], nextExpectedVersion: streamVersion, state };

    const newEvents: NewEvent<E>[] = decided.map((event, index) => ({
      event,
      metadata: {
        eventId: deterministicEventId(metadata.commandId, index),
        correlationId: metadata.correlationId,
        causationId: metadata.causationId ?? metadata.commandId,
        actor: metadata.actor,
        timestamp,
      },
    }));
    try {
      const result = await store.append(stream, newEvents, { expectedVersion: streamVersion === 0 ? 'no_stream' : streamVersion });
      // A concurrent run of the same command won between our read and write: reload to report its outcome.
      if (result.duplicate) continue;
      return {
        events: result.events,
        nextExpectedVersion: result.nextExpectedVersion,
        state: result.events.reduce((s, e) => decider.evolve(s, toDomainEvent(e)), state),
      };
    } catch (err) {
      if (err instanceof StreamVersionConflict && attempt < maxRetries) continue;
      throw err;
    }
  }
}
