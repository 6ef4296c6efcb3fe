import type { NatsConnection } from '@nats-io/transport-node';
import { BOUNDED_CONTEXTS, eventTypesOf } from '@wasmbed/domain';
import { createEventTypeRegistry, JetStreamEventStore } from '@wasmbed/event-log';

/** The fleet and apps logs with every domain event type registered at its current version. */
export async function connectEventStore(connection: NatsConnection): Promise<JetStreamEventStore> {
  const registry: Record<string, ReturnType<typeof createEventTypeRegistry>> = {};
  for (const context of BOUNDED_CONTEXTS) {
    const definitions = Object.entries(eventTypesOf(context.aggregateTypes)).map(([type, version]) => [type, { version }] as const);
    registry[context.name] = createEventTypeRegistry(Object.fromEntries(definitions));
  }
  const store = await JetStreamEventStore.create({ connection, contexts: BOUNDED_CONTEXTS, registry });
  // The gateway may be the first process up: the logs must exist before it writes.
  await store.ensureStreams();
  return store;
}
