import type { NatsConnection } from '@nats-io/transport-node';
import { BOUNDED_CONTEXTS, eventTypesOf } from '@wasmbed/domain';
import { createEventTypeRegistry, JetStreamEventStore, type EventTypeRegistry } from '@wasmbed/event-log';

/** One registry per bounded context, from the domain's event type list (no upcasters yet: every type is at version 1 or has none to apply). */
export function eventTypeRegistries(): Record<string, EventTypeRegistry> {
  return Object.fromEntries(
    BOUNDED_CONTEXTS.map((context) => {
      const versions = eventTypesOf(context.aggregateTypes);
      return [context.name, createEventTypeRegistry(Object.fromEntries(Object.entries(versions).map(([type, version]) => [type, { version }])))];
    }),
  );
}

/** The JetStream event store of every bounded context, with its streams created or updated. */
export async function openEventStore(connection: NatsConnection): Promise<JetStreamEventStore> {
  const store = await JetStreamEventStore.create({ connection, contexts: BOUNDED_CONTEXTS, registry: eventTypeRegistries() });
  await store.ensureStreams();
  return store;
}
