import { connect, type NatsConnection } from '@nats-io/transport-node';
import { withNats } from '@wasmbed/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { LIVENESS_BUCKET, LivenessStore, LivenessStoreUnavailable, type LivenessChange, type LivenessRecord } from './index';

const nats = withNats();
let nc: NatsConnection;
let store: LivenessStore;

const record = (deviceId: string, sessionId: string, heartbeatSeq = 0): LivenessRecord => ({
  deviceId,
  gatewayId: 'gateway-1',
  sessionId,
  connectedAt: '2025-01-01T00:00:00.000Z',
  lastHeartbeatAt: new Date(Date.UTC(2025, 0, 1, 0, 0, heartbeatSeq)).toISOString(),
  heartbeatSeq,
  uptimeMs: heartbeatSeq * 1000,
  freeMemoryBytes: 1024,
  apps: [],
});

beforeAll(async () => {
  nc = await connect({ servers: nats().url, noAsyncTraces: true });
  store = await LivenessStore.open(nc);
});
afterAll(async () => {
  await nc?.close();
});

describe('liveness store', () => {
  it('writes, reads and lists records', async () => {
    await store.put(record('dev-a', 's1', 1));
    await store.put(record('dev-a', 's1', 2));
    await store.put(record('dev-b', 's2', 1));
    expect(await store.get('dev-a')).toEqual(record('dev-a', 's1', 2));
    expect(await store.get('dev-none')).toBeUndefined();
    expect((await store.list()).map((r) => r.deviceId)).toEqual(['dev-a', 'dev-b']);
  });

  it('is opened again without error (idempotent bucket creation)', async () => {
    const again = await LivenessStore.open(nc);
    expect(await again.get('dev-a')).toBeDefined();
  });

  it('removes a record only for its own session', async () => {
    await store.put(record('dev-c', 'new-session', 1));
    expect(await store.removeSession('dev-c', 'old-session')).toBe(false);
    expect(await store.get('dev-c')).toBeDefined();
    expect(await store.removeSession('dev-c', 'new-session')).toBe(true);
    expect(await store.get('dev-c')).toBeUndefined();
    expect(await store.removeSession('dev-c', 'new-session')).toBe(false);
  });

  it('watches current records and later changes', async () => {
    await store.put(record('dev-w', 's1', 1));
    const seen: LivenessChange[] = [];
    const watch = await store.watch((change) => seen.push(change));
    await waitFor(() => seen.some((c) => c.deviceId === 'dev-w'));
    await store.put(record('dev-w', 's1', 2));
    await store.removeSession('dev-w', 's1');
    await waitFor(() => seen.some((c) => c.deviceId === 'dev-w' && c.record === undefined));
    await watch.stop();
    const ofW = seen.filter((c) => c.deviceId === 'dev-w');
    expect(ofW.map((c) => c.record?.heartbeatSeq)).toEqual([1, 2, undefined]);
  });

  it('puts concurrently on the shared ack inbox, each resolving with its own revision', async () => {
    const revisions = await Promise.all([1, 2, 3, 4].map((seq) => store.put(record(`dev-p${seq}`, 's1', seq))));
    expect(new Set(revisions).size).toBe(4);
    for (const seq of [1, 2, 3, 4]) expect((await store.get(`dev-p${seq}`))?.heartbeatSeq).toBe(seq);
  });

  it('reports a put the server does not store as unavailable', async () => {
    const other = await connect({ servers: nats().url, noAsyncTraces: true });
    try {
      const orphan = await LivenessStore.open(other);
      await (await jetstreamManager(other)).streams.delete(`KV_${LIVENESS_BUCKET}`);
      await expect(orphan.put(record('dev-gone', 's1', 1))).rejects.toBeInstanceOf(LivenessStoreUnavailable);
    } finally {
      store = await LivenessStore.open(nc);
      await other.close();
    }
  });

  it('refuses invalid records before writing', async () => {
    await expect(store.put({ ...record('dev-x', 's1'), uptimeMs: -5 })).rejects.toThrow(/uptimeMs/);
    expect(await store.get('dev-x')).toBeUndefined();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
