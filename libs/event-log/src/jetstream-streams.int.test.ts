import { jetstream, jetstreamManager, JetStreamApiError, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ConfigError } from '@wasmbed/errors';
import { withNats } from '@wasmbed/testing';
import { commitIdFor } from './commit-id';
import { CommitTooLargeError, EventStoreUnavailableError } from './errors';
import { HEADER_CORRELATION_ID, HEADER_EVENT_TYPES, JetStreamEventStore } from './jetstream-event-store';
import { subjectFor } from './subjects';
import { CONTEXTS, enrolled, meta, newDevice, openStore, REGISTRY, renamed } from './test-fixtures';

const nats = withNats();

describe('JetStreamEventStore streams and messages', () => {
  it('ensureStreams creates one loss-free stream per context, idempotently, and updates it', async () => {
    const { nc, close } = await openStore(nats().url);
    try {
      const jsm = await jetstreamManager(nc);
      const { config } = await jsm.streams.info('WASMBED_EVT_FLEET');
      expect(config.subjects).toEqual(['wasmbed.evt.device.*', 'wasmbed.evt.gateway.*']);
      expect([config.storage, config.discard, config.max_msgs, config.max_bytes, config.max_age]).toEqual(['file', 'new', -1, -1, 0]);
      expect([config.deny_delete, config.deny_purge, config.duplicate_window]).toEqual([true, true, 120_000_000_000]);
      const again = await openStore(nats().url, { duplicateWindowMs: 30_000 });
      await again.close();
      expect((await jsm.streams.info('WASMBED_EVT_FLEET')).config.duplicate_window).toBe(30_000_000_000);
      await expect(jsm.streams.deleteMessage('WASMBED_EVT_FLEET', 1)).rejects.toThrow();
    } finally {
      await close();
    }
  });

  it('refuses to adopt a stream whose storage cannot be changed', async () => {
    const nc = await connect({ servers: nats().url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'MEMLOG_FLEET', subjects: ['memlog.>'], storage: StorageType.Memory });
      const store = await JetStreamEventStore.create({ connection: nc, contexts: CONTEXTS, registry: REGISTRY, streamNamePrefix: 'MEMLOG' });
      await expect(store.ensureStreams()).rejects.toBeInstanceOf(ConfigError);
    } finally {
      await nc.close();
    }
  });

  it('stores one message per commit with a deterministic Nats-Msg-Id and informative headers', async () => {
    const { nc, store, close } = await openStore(nats().url);
    try {
      const jsm = await jetstreamManager(nc);
      const before = (await jsm.streams.info('WASMBED_EVT_FLEET')).state.messages;
      const stream = newDevice();
      const commit = [enrolled('a'), renamed('b'), { ...renamed('c'), metadata: meta({ correlationId: 'other' }) }];
      const result = await store.append(stream, commit, { expectedVersion: 'no_stream' });
      expect((await jsm.streams.info('WASMBED_EVT_FLEET')).state.messages).toBe(before + 1);

      const stored = await jsm.streams.getMessage('WASMBED_EVT_FLEET', { seq: result.position });
      expect(stored?.subject).toBe(subjectFor(stream));
      expect(stored?.header.get('Nats-Msg-Id')).toBe(commitIdFor(subjectFor(stream), commit.map((e) => e.metadata.eventId)));
      expect(stored?.header.get(HEADER_EVENT_TYPES)).toBe('DeviceEnrolled,DeviceRenamed,DeviceRenamed');
      expect(stored?.header.get(HEADER_CORRELATION_ID)).toBe('corr-1');
      const body = stored?.json<{ v: number; events: { type: string; schemaVersion: number }[] }>();
      expect(body?.v).toBe(1);
      expect(body?.events.map((e) => [e.type, e.schemaVersion])).toEqual([
        ['DeviceEnrolled', 1],
        ['DeviceRenamed', 1],
        ['DeviceRenamed', 1],
      ]);
    } finally {
      await close();
    }
  });

  it('rejects an oversized commit before publishing', async () => {
    const { nc, store, close } = await openStore(nats().url, { maxMessageBytes: 2048 });
    try {
      const stream = newDevice();
      const err = await store.append(stream, [enrolled('x'.repeat(4096))], { expectedVersion: 'no_stream' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CommitTooLargeError);
      expect(err).toMatchObject({ code: 'invalid_argument', maxBytes: 2048 });
      expect((err as CommitTooLargeError).sizeBytes).toBeGreaterThan(4096);
      expect((await store.readStream(stream)).streamVersion).toBe(0);
      // The broker enforces the same limit for writers that bypass the store.
      await expect(jetstream(nc).publish(subjectFor(stream), new Uint8Array(4096))).rejects.toBeInstanceOf(JetStreamApiError);
    } finally {
      await close();
    }
  });

  it('reports a missing stream as unavailable instead of losing the commit silently', async () => {
    const nc = await connect({ servers: nats().url });
    try {
      const store = await JetStreamEventStore.create({
        connection: nc,
        contexts: [{ name: 'ghost', aggregateTypes: ['phantom'] }],
        registry: REGISTRY,
      });
      const err = await store
        .append({ aggregateType: 'phantom', aggregateId: 'p1' }, [enrolled()], { expectedVersion: 'any' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.headPosition('ghost')).rejects.toMatchObject({ code: 'internal' });
    } finally {
      await nc.close();
    }
  });
});
