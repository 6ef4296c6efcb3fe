import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore, type BoundedContext, type EventTypeRegistry } from '@wasmbed/event-log';
import { withNats } from '@wasmbed/testing';
import { CONTRACT_CONTEXTS, describeEventStoreContract, FULL_REGISTRY, type ContractStore } from './index';

const nats = withNats();

async function openJetStreamStore(contexts: readonly BoundedContext[], registry: EventTypeRegistry): Promise<ContractStore & { nc: NatsConnection }> {
  const nc = await connect({ servers: nats().url });
  try {
    const store = await JetStreamEventStore.create({ connection: nc, contexts, registry });
    await store.ensureStreams();
    return {
      nc,
      store,
      contexts,
      async teardown() {
        await store.close();
        await nc.close();
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}

describeEventStoreContract('JetStreamEventStore on nats-server', ({ contexts, registry }) => openJetStreamStore(contexts, registry));

describe('JetStreamEventStore durability', () => {
  it('keeps every commit across a nats-server restart', async () => {
    const before = await openJetStreamStore(CONTRACT_CONTEXTS, FULL_REGISTRY);
    const stream = { aggregateType: 'item', aggregateId: `durable-${Date.now()}` };
    let written: number;
    try {
      const first = await before.store.append(
        stream,
        [{ event: { type: 'ItemCreated', data: { name: 'durable' } }, metadata: { eventId: `d1-${stream.aggregateId}`, correlationId: 'c', actor: 'a', timestamp: new Date().toISOString() } }],
        { expectedVersion: 'no_stream' },
      );
      written = first.position;
    } finally {
      await before.teardown();
    }

    await nats().restart();

    const after = await openJetStreamStore(CONTRACT_CONTEXTS, FULL_REGISTRY);
    try {
      const read = await after.store.readStream(stream);
      expect(read.streamVersion).toBe(written);
      expect(read.events.map((e) => e.data)).toEqual([{ name: 'durable' }]);
      expect(await after.store.headPosition('alpha')).toBeGreaterThanOrEqual(written);
      // The stream still enforces concurrency after recovery.
      await expect(
        after.store.append(
          stream,
          [{ event: { type: 'ItemNoted', data: { note: 'x' } }, metadata: { eventId: `d2-${stream.aggregateId}`, correlationId: 'c', actor: 'a', timestamp: new Date().toISOString() } }],
          { expectedVersion: 'no_stream' },
        ),
      ).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      await after.teardown();
    }
  });
});
