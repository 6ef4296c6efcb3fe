import {
  deterministicEventId,
  StreamVersionConflict,
  type AppendOptions,
  type AppendResult,
  type DomainEvent,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type StreamRef,
  type SubscribeOptions,
  type Subscription,
} from '@wasmbed/event-log';

/**
 * An EventStore view that refuses to load `stream` unless it is at the
 * version the client expects. handleCommand loads the stream before every
 * attempt (and again after losing a race), so a command never decides on a
 * state the client has not seen, and nothing is written when it fails.
 *
 * A retry of a command that already succeeded is let through: its own commit
 * moved the version, and handleCommand answers it with the first outcome.
 */
export class ExpectedVersionStore implements EventStore {
  readonly #inner: EventStore;
  readonly #stream: StreamRef;
  readonly #expected: number;
  readonly #retryMarker: string;

  constructor(inner: EventStore, stream: StreamRef, expected: number, commandId: string) {
    this.#inner = inner;
    this.#stream = stream;
    this.#expected = expected;
    this.#retryMarker = deterministicEventId(commandId, 0);
  }

  async readStream<E extends DomainEvent>(stream: StreamRef): Promise<ReadStreamResult<E>> {
    const result = await this.#inner.readStream<E>(stream);
    const guarded = stream.aggregateType === this.#stream.aggregateType && stream.aggregateId === this.#stream.aggregateId;
    if (guarded && result.streamVersion !== this.#expected && !result.events.some((e) => e.metadata.eventId === this.#retryMarker)) {
      throw new StreamVersionConflict(stream, this.#expected, result.streamVersion);
    }
    return result;
  }

  append<E extends DomainEvent>(stream: StreamRef, events: NewEvent<E>[], options: AppendOptions): Promise<AppendResult<E>> {
    return this.#inner.append(stream, events, options);
  }

  readAll<E extends DomainEvent>(options: ReadAllOptions): AsyncIterable<RecordedEvent<E>> {
    return this.#inner.readAll<E>(options);
  }

  subscribe<E extends DomainEvent>(options: SubscribeOptions<E>): Promise<Subscription> {
    return this.#inner.subscribe(options);
  }

  headPosition(context: string): Promise<number> {
    return this.#inner.headPosition(context);
  }

  /** The wrapped store belongs to the caller. */
  async close(): Promise<void> {}
}
