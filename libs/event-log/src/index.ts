export type {
  AppendOptions,
  AppendResult,
  BoundedContext,
  DomainEvent,
  EventMetadata,
  EventStore,
  EventTypeRegistry,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamResult,
  RecordedEvent,
  StreamRef,
  SubscribeOptions,
  Subscription,
} from './types';
export {
  CommitTooLargeError,
  CorruptEventError,
  EventStoreClosedError,
  EventStoreRequestError,
  EventStoreUnavailableError,
  InvalidCommitError,
  InvalidStreamId,
  StreamVersionConflict,
  UnknownContextError,
  UnknownEventTypeError,
  UnsupportedSchemaVersionError,
} from './errors';
export { createEventTypeRegistry } from './registry';
export type { DefinedEventTypeRegistry, EventTypeDefinition, Upcaster } from './registry';
export { EVENT_SUBJECT_PREFIX, MAX_STREAM_ID_LENGTH, parseSubject, streamNameFor, subjectFor, validateStreamRef } from './subjects';
export { commitIdFor } from './commit-id';
export { COMMIT_FORMAT_VERSION, decodeCommit, encodeCommit } from './commit-codec';
export type { RawCommit } from './commit-codec';
export { deterministicEventId } from './deterministic-event-id';
export {
  createJetStreamEventStore,
  HEADER_CORRELATION_ID,
  HEADER_EVENT_TYPES,
  JetStreamEventStore,
} from './jetstream-event-store';
export type { JetStreamEventStoreOptions } from './jetstream-event-store';
export type { RegistryOption } from './contexts';
export { handleCommand } from './handle-command';
export type { CommandMetadata, Decider, HandleCommandOptions, HandleCommandResult } from './handle-command';
