import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { withNats } from '@wasmbed/testing';
import { describeDocumentStoreBehaviour } from './document-store.behaviour';
import { KvDocumentStore, readModelBucketName } from './kv-document-store';

describe('KvDocumentStore', () => {
  const nats = withNats();
  let nc: NatsConnection;
  let buckets = 0;
  const freshName = () => `kvtest_${process.pid}_${++buckets}`;

  beforeAll(async () => {
    nc = await connect({ servers: nats().url });
  });
  afterAll(async () => {
    await nc?.close();
  });

  describeDocumentStoreBehaviour(() => KvDocumentStore.open({ connection: nc, projection: freshName() }));

  it('keeps one bucket per projection, named wasmbed_rm_<name>', async () => {
    const name = freshName();
    const store = await KvDocumentStore.open({ connection: nc, projection: name });
    expect(store.bucket).toBe(`wasmbed_rm_${name}`);
    await store.put('devices', 'd1', { a: 1 }, { applied: {} });
    const kv = await new Kvm(nc).open(`wasmbed_rm_${name}`);
    await expect(kv.get('devices.d1')).resolves.toMatchObject({ operation: 'PUT' });
    expect(() => readModelBucketName('bad.name')).toThrow(/projection name/);
  });

  it('keeps documents and checkpoints across reconnects and a server restart', async () => {
    const name = freshName();
    const first = await KvDocumentStore.open({ connection: nc, projection: name });
    await first.put('devices', 'd1', { phase: 'live' }, { applied: { fleet: { position: 7, index: 0 } } });
    await first.setCheckpoint('fleet', 7);

    await nats().restart();
    const other = await connect({ servers: nats().url });
    try {
      const second = await KvDocumentStore.open({ connection: other, projection: name });
      await expect(second.getCheckpoint('fleet')).resolves.toBe(7);
      await expect(second.get('devices', 'd1')).resolves.toEqual({
        id: 'd1',
        doc: { phase: 'live' },
        applied: { fleet: { position: 7, index: 0 } },
      });
    } finally {
      await other.close();
    }
  });
});
