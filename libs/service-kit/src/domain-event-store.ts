import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BOUNDED_CONTEXTS, eventTypesOf } from '@wasmbed/domain';
import { createEventTypeRegistry, JetStreamEventStore, streamNameFor, type BoundedContext, type EventTypeRegistry } from '@wasmbed/event-log';
import { replicaTarget, type ReplicaLogger } from './jetstream-replicas';

/** The event-log default, spelled out: the replica check below needs the stream names. */
const STREAM_PREFIX = 'WASMBED_EVT';

/** One registry per bounded context, from the domain's event type list (no upcasters yet: every type is at version 1 or has none to apply). */
function domainEventTypeRegistries(): Record<string, EventTypeRegistry> {
  return Object.fromEntries(
    BOUNDED_CONTEXTS.map((context) => {
      const versions = eventTypesOf(context.aggregateTypes);
      return [context.name, createEventTypeRegistry(Object.fromEntries(Object.entries(versions).map(([type, version]) => [type, { version }])))];
    }),
  );
}

export interface DomainEventStoreOptions {
  /** WASMBED_JETSTREAM_REPLICAS: replicas of new logs, and the least an existing one is raised to. Default 1. */
  readonly replicas?: number;
  /** Where a log that keeps more replicas than `replicas` is reported; pass the service's logger (default: nowhere). */
  readonly logger?: ReplicaLogger;
}

const quiet: ReplicaLogger = { info: () => undefined, warn: () => undefined };

/**
 * The JetStream event store of every bounded context of the domain. Its streams are
 * created or updated first: any service may be the first process up, and the logs
 * must exist before it reads or writes. A log is never lowered to fewer replicas
 * than it has (see replicaTarget).
 */
export async function openDomainEventStore(connection: NatsConnection, options: DomainEventStoreOptions = {}): Promise<JetStreamEventStore> {
  const replicas = options.replicas ?? 1;
  const registry = domainEventTypeRegistries();
  // ensureStreams gives every log of a store one replica count: group the logs by the count each keeps.
  const byReplicas = new Map<number, BoundedContext[]>();
  const jsm = await jetstreamManager(connection);
  for (const context of BOUNDED_CONTEXTS) {
    const target = await replicaTarget(connection, jsm, streamNameFor(STREAM_PREFIX, context.name), replicas, options.logger ?? quiet);
    byReplicas.set(target.replicas, [...(byReplicas.get(target.replicas) ?? []), context]);
  }
  for (const [count, contexts] of byReplicas) {
    const ensurer = await JetStreamEventStore.create({ connection, contexts, registry, streamNamePrefix: STREAM_PREFIX, replicas: count });
    try {
      await ensurer.ensureStreams();
    } finally {
      await ensurer.close();
    }
  }
  return JetStreamEventStore.create({ connection, contexts: BOUNDED_CONTEXTS, registry, streamNamePrefix: STREAM_PREFIX, replicas });
}
