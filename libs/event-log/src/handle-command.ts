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
  /**
   * The stream's state as the caller already holds it (e.g. folded by a projection of
   * the log) and the version it folds up to. The first decision is taken on it without
   * reading the stream; only a decision with events is trusted, since its append is
   * checked against `streamVersion` by the store. A stale version costs one
   * StreamVersionConflict, an empty decision or an error from `decide` costs the read
   * that would have happened anyway; either way the command is then handled as without
   * it. For new command ids only: the store is not searched for an earlier run of the
   * command (beyond its duplicate window), which a retry of a command id needs.
   */
  readonly knownState?: { readonly state: S; readonly streamVersion: number };
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
 * thrown by decide on the stream's state propagate unchanged. With `knownState` the
 * load is skipped when the caller's state decides something (see the option).
 */
export async function handleCommand<C, E extends DomainEvent, S>(
  options: HandleCommandOptions<C, E, S>,
): Promise<HandleCommandResult<E, S>> {
  const { store, decider, stream, command, metadata } = options;
  const maxRetries = options.maxRetries ?? 3;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new ValidationError('maxRetries must be an integer >= 0', [`maxRetries: ${String(maxRetries)}`]);
  }
  const timestamp = metadata.now instanceof Date ? metadata.now.toISOString() : metadata.now;
  let known = options.knownState;
  if (known !== undefined && (!Number.isSafeInteger(known.streamVersion) || known.streamVersion < 0)) {
    throw new ValidationError('knownState.streamVersion must be an integer >= 0', [`streamVersion: ${String(known.streamVersion)}`]);
  }

  for (let conflicts = 0; ; ) {
    let state: S;
    let streamVersion: number;
    let decided: readonly E[];
    const trusted = known === undefined ? undefined : decideOnKnownState(decider, command, known);
    known = undefined;
    if (trusted !== undefined) {
      ({ state, streamVersion, decided } = trusted);
    } else {
      const read = await store.readStream<E>(stream);
      streamVersion = read.streamVersion;
      state = read.events.reduce((s, e) => decider.evolve(s, toDomainEvent(e)), initial(decider));
      const firstEventId = deterministicEventId(metadata.commandId, 0);
      const earlier = read.events.find((e) => e.metadata.eventId === firstEventId);
      if (earlier !== undefined) {
        return { events: read.events.filter((e) => e.position === earlier.position), nextExpectedVersion: streamVersion, state };
      }
      decided = decider.decide(command, state);
      if (decided.length === 0) return { events: [], nextExpectedVersion: streamVersion, state };
    }

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
      // A conflict on the caller's state only says it was stale: it does not use up a retry.
      if (err instanceof StreamVersionConflict && (trusted !== undefined || conflicts++ < maxRetries)) continue;
      throw err;
    }
  }
}

/** The decision on the caller's state, if it may be appended as is (see HandleCommandOptions.knownState). */
function decideOnKnownState<C, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  command: C,
  known: { readonly state: S; readonly streamVersion: number },
): { state: S; streamVersion: number; decided: readonly E[] } | undefined {
  let decided: readonly E[];
  try {
    decided = decider.decide(command, known.state);
  } catch {
    // Maybe only the state was stale: the stream decides.
    return undefined;
  }
  return decided.length === 0 ? undefined : { state: known.state, streamVersion: known.streamVersion, decided };
}
