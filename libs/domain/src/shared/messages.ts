/**
 * Commands and events are plain data, discriminated on `type`. Deciders have no
 * clock: the moment a command is decided arrives in its metadata, and events copy
 * the timestamps they need into their data.
 */
export interface CommandMetadata {
  /** ISO-8601 time at which the command is decided. */
  readonly now: string;
  /** Who asked: a user, a token subject or a service name. */
  readonly actor: string;
}

export interface Command<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
  readonly metadata: CommandMetadata;
}

/** Same shape as `DomainEvent` of @wasmbed/event-log: events must survive JSON. */
export interface Event<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}
