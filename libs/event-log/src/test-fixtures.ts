// Shared by this package's integration tests only (excluded from the build).
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore, type JetStreamEventStoreOptions } from './jetstream-event-store';
import { createEventTypeRegistry } from './registry';
import type { BoundedContext, EventMetadata, NewEvent, StreamRef } from './types';

export const CONTEXTS: readonly BoundedContext[] = [{ name: 'fleet', aggregateTypes: ['device', 'gateway'] }];

export const REGISTRY = createEventTypeRegistry({
  DeviceEnrolled: { version: 1 },
  DeviceRenamed: { version: 1 },
  DeviceRetired: { version: 1 },
});

export type DeviceEvent =
  | { type: 'DeviceEnrolled'; data: { name: string } }
  | { type: 'DeviceRenamed'; data: { name: string } }
  | { type: 'DeviceRetired'; data: Record<string, never> };

export const newDevice = (): StreamRef => ({ aggregateType: 'device', aggregateId: `dev-${randomUUID()}` });

export function meta(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return { eventId: randomUUID(), correlationId: 'corr-1', actor: 'user:test', timestamp: '2025-01-01T00:00:00.000Z', ...overrides };
}

export const enrolled = (name = 'dev'): NewEvent<DeviceEvent> => ({ event: { type: 'DeviceEnrolled', data: { name } }, metadata: meta() });
export const renamed = (name: string): NewEvent<DeviceEvent> => ({ event: { type: 'DeviceRenamed', data: { name } }, metadata: meta() });

export interface OpenStore {
  readonly nc: NatsConnection;
  readonly store: JetStreamEventStore;
  close(): Promise<void>;
}

/** A store on its own connection, streams ensured. */
export async function openStore(url: string, options: Partial<Omit<JetStreamEventStoreOptions, 'connection'>> = {}): Promise<OpenStore> {
  const nc = await connect({ servers: url });
  try {
    const store = await JetStreamEventStore.create({ connection: nc, contexts: CONTEXTS, registry: REGISTRY, ...options });
    await store.ensureStreams();
    return {
      nc,
      store,
      async close() {
        await store.close();
        await nc.close();
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
