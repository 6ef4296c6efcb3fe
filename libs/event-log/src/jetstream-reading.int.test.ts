import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { withNats } from '@wasmbed/testing';
import { CorruptEventError, EventStoreClosedError, EventStoreUnavailableError } from './errors';
import { createEventTypeRegistry } from './registry';
import { subjectFor } from './subjects';
import { enrolled, meta, newDevice, openStore, REGISTRY, renamed } from './test-fixtures';
import type { RecordedEvent } from './types';

const nats = withNats();

const consumerCount = async (nc: Parameters<typeof jetstreamManager>[0]): Promise<number> =>
  (await (await jetstreamManager(nc)).streams.info('WASMBED_EVT_FLEET')).state.consumer_count;

describe('JetStreamEventStore reading', () => {
  it('upcasts events written with an older schema version', async () => {
    const writer = await openStore(nats().url);
    const reader = await openStore(nats().url, {
      registry: createEventTypeRegistry({
        DeviceEnrolled: { version: 2, upcasters: { 1: (d) => ({ ...(d as { name: string }), board: 'unknown' }) } },
        DeviceRenamed: { version: 1 },
        DeviceRetired: { version: 1 },
      }),
    });
    try {
      const stream = newDevice();
      await writer.store.append(stream, [enrolled('old')], { expectedVersion: 'no_stream' });
      const { events } = await reader.store.readStream(stream);
      expect(events[0]).toMatchObject({ schemaVersion: 2, data: { name: 'old', board: 'unknown' } });
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('fails loudly on a message that is not a commit, in reads and subscriptions', async () => {
    const { nc, store, close } = await openStore(nats().url);
    try {
      const stream = newDevice();
      const garbage = await jetstream(nc).publish(subjectFor(stream), 'not json');
      await expect(store.readStream(stream)).rejects.toBeInstanceOf(CorruptEventError);
      const errors: Error[] = [];
      const sub = await store.subscribe({
        context: 'fleet',
        afterPosition: garbage.seq - 1,
        onCommit: async () => undefined,
        onError: (e) => errors.push(e),
      });
      await sub.closed;
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(CorruptEventError);
      expect(errors[0]).toMatchObject({ position: garbage.seq, subject: subjectFor(stream) });
    } finally {
      await close();
    }
  });

  it('leaves no consumers behind after reads, early-ended iterations and stopped subscriptions', async () => {
    const { nc, store, close } = await openStore(nats().url);
    try {
      const stream = newDevice();
      for (let i = 0; i < 3; i++) await store.append(stream, [{ ...enrolled(), metadata: meta() }], { expectedVersion: 'any' });
      await store.readStream(stream);
      // A long stream is finished through a consumer, which must go too.
      const long = newDevice();
      for (let i = 0; i < 12; i++) await store.append(long, [{ ...enrolled(), metadata: meta() }], { expectedVersion: 'any' });
      expect((await store.readStream(long)).events).toHaveLength(12);
      for await (const _e of store.readAll({ context: 'fleet' })) break;
      const errors: Error[] = [];
      const sub = await store.subscribe({
        context: 'fleet',
        afterPosition: await store.headPosition('fleet'),
        onCommit: async () => undefined,
        onError: (e) => errors.push(e),
      });
      expect(await consumerCount(nc)).toBe(1);
      await sub.stop();
      expect(errors).toEqual([]);
      expect(await consumerCount(nc)).toBe(0);
    } finally {
      await close();
    }
  });

  it('reads a stream longer than one fetch batch completely and in order', async () => {
    const { store, close } = await openStore(nats().url);
    try {
      const stream = newDevice();
      let version = 0;
      for (let i = 0; i < 230; i++) {
        version = (await store.append(stream, [enrolled(`n${i}`)], { expectedVersion: version })).nextExpectedVersion;
      }
      const { events, streamVersion } = await store.readStream<{ type: 'DeviceEnrolled'; data: { name: string } }>(stream);
      expect(streamVersion).toBe(version);
      expect(events.map((e) => e.data.name)).toEqual(Array.from({ length: 230 }, (_, i) => `n${i}`));
    } finally {
      await close();
    }
  });

  it('reads only its own commits from a log interleaved with other streams, ending at the last one', async () => {
    const { store, close } = await openStore(nats().url);
    try {
      const mine = newDevice();
      const others = [newDevice(), newDevice()];
      const positions: number[] = [];
      for (let i = 0; i < 4; i++) {
        for (const other of others) await store.append(other, [enrolled(`other-${i}`)], { expectedVersion: 'any' });
        positions.push((await store.append(mine, [enrolled(`mine-${i}`), renamed(`mine-${i}b`)], { expectedVersion: 'any' })).position);
      }
      await store.append(others[0], [enrolled('after')], { expectedVersion: 'any' });
      const { events, streamVersion } = await store.readStream<{ type: 'DeviceEnrolled' | 'DeviceRenamed'; data: { name: string } }>(mine);
      expect(streamVersion).toBe(positions[3]);
      expect(events.map((e) => e.data.name)).toEqual(['mine-0', 'mine-0b', 'mine-1', 'mine-1b', 'mine-2', 'mine-2b', 'mine-3', 'mine-3b']);
      expect(events.map((e) => e.position)).toEqual(positions.flatMap((p) => [p, p]));
      expect(await store.readStream(newDevice())).toEqual({ events: [], streamVersion: 0 });
    } finally {
      await close();
    }
  });

  it('reports a subscription whose connection closes underneath it', async () => {
    const { nc, store, close } = await openStore(nats().url);
    try {
      const errors: Error[] = [];
      const delivered: RecordedEvent[][] = [];
      const sub = await store.subscribe({
        context: 'fleet',
        onCommit: async (events) => {
          delivered.push(events);
        },
        onError: (e) => errors.push(e),
      });
      await nc.close();
      await sub.closed;
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await close();
    }
  });

  it('refuses work once closed, without closing the caller’s connection', async () => {
    const { nc, store, close } = await openStore(nats().url);
    try {
      await store.close();
      await expect(store.readStream(newDevice())).rejects.toBeInstanceOf(EventStoreClosedError);
      await expect(store.append(newDevice(), [enrolled()], { expectedVersion: 'any' })).rejects.toBeInstanceOf(EventStoreClosedError);
      expect(nc.isClosed()).toBe(false);
    } finally {
      await close();
    }
  });

  it('reuses one registry for all contexts or takes one per context', async () => {
    const perContext = await openStore(nats().url, { registry: { fleet: REGISTRY } });
    try {
      const stream = newDevice();
      await perContext.store.append(stream, [enrolled()], { expectedVersion: 'no_stream' });
      expect((await perContext.store.readStream(stream)).events).toHaveLength(1);
    } finally {
      await perContext.close();
    }
  });
});
