import type { NatsConnection } from '@nats-io/transport-node';
import { BOUNDED_CONTEXTS, eventTypesOf } from '@wasmbed/domain';
import { createEventTypeRegistry, JetStreamEventStore, type EventTypeRegistry } from '@wasmbed/event-log';

/** One registry per bounded context, from the domain's event type list (no upcasters yet: every type is at version 1 or has none to apply). */
function domainEventTypeRegistries(): Record<string, EventTypeRegistry> {
  return Object.fromEntries(
    BOUNDED_CONTEXTS.map((context) => {
      const versions = eventTypesOf(context.aggregateTypes);
      return [context.name, createEventTypeRegistry(Object.fromEntries(Object.entries(versions).map(([type, version]) => [type, { version }])))];
    }),
  );
}

/**
 * The JetStream event store of every bounded context of the domain. Its streams are
 * created or updated first: any service may be the first process up, and the logs
 * must exist before it reads or writes.
 */
export async function openDomainEventStore(connection: NatsConnection): Promise<JetStreamEventStore> {
  const store = await JetStreamEventStore.create({ connection, contexts: BOUNDED_CONTEXTS, registry: domainEventTypeRegistries() });
  await store.ensureStreams();
  return store;
}
