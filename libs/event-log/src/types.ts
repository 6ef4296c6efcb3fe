/**
 * The EventStore contract. Every implementation (JetStream today) must pass the
 * suite in @wasmbed/event-store-contract.
 *
 * Model: events are grouped in streams, one per aggregate instance, addressed by
 * (aggregateType, aggregateId) and stored on the subject
 * `wasmbed.evt.<aggregateType>.<aggregateId>`. Aggregate types belong to a bounded
 * context; each context is one JetStream stream (one ordered log).
 *
 * One `append` call is one *commit*: its events are stored together atomically
 * (one JetStream message), so a decision is never half-written.
 *
 * Positions:
 *  - `position`     – the commit's sequence in its context log (JetStream stream seq),
 *                     strictly increasing, gap-tolerant. Subscriptions resume from it.
 *  - `streamVersion`– the position of the last commit of that aggregate stream
 *                     (0 = stream does not exist). Used for optimistic concurrency.
 */

/** What a decider emits (emmett-style): a discriminated union member. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

export interface StreamRef {
  readonly aggregateType: string;
  readonly aggregateId: string;
}

export interface EventMetadata {
  /**
   * Unique per event. Re-appending a commit with the same event ids to the same stream
   * is a no-op reported as `duplicate` (exact guarantee: libs/event-log/README.md).
   */
  readonly eventId: string;
  /** Ties together everything caused by one user request. */
  readonly correlationId: string;
  /** The command id or event id that caused this event. */
  readonly causationId?: string;
  /** Who did it: a user, a token subject or a service name. */
  readonly actor: string;
  /** ISO-8601 time the command was decided (from command metadata, not the store clock). */
  readonly timestamp: string;
}

export interface NewEvent<E extends DomainEvent = DomainEvent> {
  readonly event: E;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  readonly stream: StreamRef;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly schemaVersion: number;
  readonly metadata: EventMetadata;
  /** Position of the commit that holds this event, in its context log. */
  readonly position: number;
  /** Index of this event inside its commit (0-based). */
  readonly indexInCommit: number;
  /** Number of events in the commit (so consumers know when a commit ends). */
  readonly commitSize: number;
  /** Store time of the commit (ISO-8601), used for lag measurement. */
  readonly storedAt: string;
}

/**
 * - a number: the stream's current version must equal it (0 = must not exist)
 * - 'no_stream': same as 0
 * - 'any': no check (use sparingly: only for events that commute)
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
}

export interface AppendResult<E extends DomainEvent = DomainEvent> {
  /** The stream version after the append (= position of this commit). */
  readonly nextExpectedVersion: number;
  readonly position: number;
  /**
   * True when the commit was already stored (same event ids): nothing was written, and
   * position/nextExpectedVersion/events describe the ORIGINAL commit (the stream may
   * have moved on since).
   */
  readonly duplicate: boolean;
  /**
   * The commit's events as readers will see them. For a fresh commit `storedAt` is the
   * writer's clock when the store acknowledged; for a duplicate it is the original store time.
   */
  readonly events: RecordedEvent<E>[];
}

export interface ReadStreamResult<E extends DomainEvent = DomainEvent> {
  readonly events: RecordedEvent<E>[];
  /** 0 when the stream does not exist. */
  readonly streamVersion: number;
}

export interface ReadAllOptions {
  /** Bounded-context name, e.g. 'fleet' or 'apps'. */
  readonly context: string;
  /** Deliver commits with position > afterPosition (0 = from the beginning). */
  readonly afterPosition?: number;
  /** Maximum number of COMMITS (not events) to deliver; a commit is never split. */
  readonly limit?: number;
}

export interface SubscribeOptions<E extends DomainEvent = DomainEvent> {
  readonly context: string;
  readonly afterPosition?: number;
  /**
   * Called once per commit, in order; the subscription waits for it. If it throws, the
   * subscription reports the error through onError and stops; lastPosition stays at the
   * last commit that completed, so resuming from it redelivers the failed commit.
   */
  readonly onCommit: (events: RecordedEvent<E>[]) => Promise<void>;
  /**
   * Called once when the subscription ends on an error: decode failures (e.g. unknown
   * event type), onCommit failures, a lost broker. The subscription stops. Without it,
   * the error is emitted as a process warning (never silently dropped).
   */
  readonly onError?: (err: Error) => void;
}

export interface Subscription {
  /** Position of the last commit handed to onCommit and completed. */
  readonly lastPosition: number;
  stop(): Promise<void>;
  /** Resolves when the subscription ends (stop() or fatal error). */
  readonly closed: Promise<void>;
}

export interface EventStore {
  append<E extends DomainEvent>(stream: StreamRef, events: NewEvent<E>[], options: AppendOptions): Promise<AppendResult<E>>;
  readStream<E extends DomainEvent>(stream: StreamRef): Promise<ReadStreamResult<E>>;
  /** Events of a context log in position order, ending at the head as of when iteration starts. */
  readAll<E extends DomainEvent>(options: ReadAllOptions): AsyncIterable<RecordedEvent<E>>;
  subscribe<E extends DomainEvent>(options: SubscribeOptions<E>): Promise<Subscription>;
  /** Last position in a context log (0 if empty). */
  headPosition(context: string): Promise<number>;
  close(): Promise<void>;
}

/** A bounded context and the aggregate types whose events its log holds. */
export interface BoundedContext {
  readonly name: string;
  readonly aggregateTypes: readonly string[];
}

/**
 * Knows every event type (and its schema versions) of a context. Reading an event
 * whose type is not registered raises UnknownEventTypeError: never silently dropped.
 * `upcast` turns an older schema version's data into the current shape.
 */
export interface EventTypeRegistry {
  currentSchemaVersion(type: string): number | undefined;
  upcast(type: string, schemaVersion: number, data: unknown): unknown;
}
