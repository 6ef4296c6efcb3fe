import { randomUUID } from 'node:crypto';
import {
  createEventTypeRegistry,
  type BoundedContext,
  type EventMetadata,
  type EventStore,
  type EventTypeRegistry,
  type NewEvent,
  type StreamRef,
} from '@wasmbed/event-log';

/** The topology every store under test must be built with. */
export const CONTRACT_CONTEXTS: readonly BoundedContext[] = [
  { name: 'alpha', aggregateTypes: ['item', 'order'] },
  { name: 'beta', aggregateTypes: ['remote'] },
];

/** Knows every event type the suite writes. */
export const FULL_REGISTRY: EventTypeRegistry = createEventTypeRegistry({
  ItemCreated: { version: 1 },
  ItemChanged: { version: 1 },
  ItemNoted: { version: 1 },
  ItemSecret: { version: 1 },
});

/** Lacks ItemSecret: reading it back through this registry must fail loudly. */
export const PARTIAL_REGISTRY: EventTypeRegistry = createEventTypeRegistry({
  ItemCreated: { version: 1 },
  ItemChanged: { version: 1 },
  ItemNoted: { version: 1 },
});

export interface ContractStoreRequest {
  readonly contexts: readonly BoundedContext[];
  readonly registry: EventTypeRegistry;
}

export interface ContractStore {
  readonly store: EventStore;
  /** The contexts the store was built with (must equal the requested ones). */
  readonly contexts: readonly BoundedContext[];
  /** Closes the store and whatever the factory opened for it; must not delete data. */
  teardown(): Promise<void>;
}

/**
 * Builds a store over the requested contexts and registry. Every call during one
 * suite run must reach the SAME underlying storage: the suite writes through one
 * store and reads through another (e.g. with a registry missing a type).
 */
export type ContractStoreFactory = (request: ContractStoreRequest) => Promise<ContractStore>;

export type ItemEvent =
  | { type: 'ItemCreated'; data: { name: string } }
  | { type: 'ItemChanged'; data: { name: string; n: number } }
  | { type: 'ItemNoted'; data: { note: string } }
  | { type: 'ItemSecret'; data: { secret: string } };

export const uid = (): string => randomUUID();

export function newItemStream(aggregateType = 'item'): StreamRef {
  return { aggregateType, aggregateId: `${aggregateType}-${uid()}` };
}

export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    eventId: uid(),
    correlationId: `corr-${uid()}`,
    actor: 'user:contract',
    timestamp: '2025-06-01T12:00:00.000Z',
    ...overrides,
  };
}

export function changed(n: number, overrides: Partial<EventMetadata> = {}): NewEvent<ItemEvent> {
  return { event: { type: 'ItemChanged', data: { name: `name-${n}`, n } }, metadata: metadata(overrides) };
}

export function created(name = 'created', overrides: Partial<EventMetadata> = {}): NewEvent<ItemEvent> {
  return { event: { type: 'ItemCreated', data: { name } }, metadata: metadata(overrides) };
}
