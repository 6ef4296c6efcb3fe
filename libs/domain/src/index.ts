// @wasmbed/domain: the Device, Application (with rollout) and Gateway aggregates as
// pure deciders. No I/O, no clock, no randomness: time comes in command metadata.
export type { Decider } from './shared/decider';
export { applyEvents, initialStateOf } from './shared/decider';
export type { Command, CommandMetadata, Event } from './shared/messages';
export { assertNever } from './shared/assert-never';
export { AggregateAlreadyExists, AggregateNotFound, InvalidCommand, InvalidTransition, UnexpectedEvent } from './shared/errors';
export { NAME_PATTERN } from './shared/validation';
export { matchesSelector, type Labels } from './shared/labels';
export { AGGREGATE_TYPES, BOUNDED_CONTEXTS, contextOf, type AggregateType, type BoundedContextName } from './aggregates';
export { EVENT_TYPES, eventTypesOf } from './event-types';

export * from './device';
export * from './application';
export * from './gateway';

export { DeciderSpecification, Then, assertJsonSerializable, type When } from './testing/decider-specification';
