import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { BOUNDED_CONTEXTS } from '@wasmbed/domain';
import type { LogFields } from '@wasmbed/grpc-kit';
import { eventually, freePort, startNatsServer, withNats, type NatsTestServer } from '@wasmbed/testing';
import { ensureStreamReplicas, openDomainEventStore, type ReplicaLogger } from './index';

jest.setTimeout(90_000);

const EVENT_LOGS = BOUNDED_CONTEXTS.map((context) => `WASMBED_EVT_${context.name.toUpperCase()}`);

class Recorded implements ReplicaLogger {
  readonly lines: { level: string; message: string; fields?: LogFields }[] = [];
  info = (message: string, fields?: LogFields) => void this.lines.push({ level: 'info', message, fields });
  warn = (message: string, fields?: LogFields) => void this.lines.push({ level: 'warn', message, fields });
}

const replicasOf = async (jsm: JetStreamManager, stream: string) => (await jsm.streams.info(stream)).config.num_replicas;

describe('replicas on one nats-server', () => {
  const nats = withNats();
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  beforeAll(async () => {
    nc = await connect({ servers: nats().url });
    jsm = await jetstreamManager(nc);
  });
  afterAll(() => nc.close());

  // First: the logs do not exist yet. (A standalone server refuses to create R3
  // streams, though it lets an update claim 3 replicas it cannot keep.)
  it('fails plainly when one server is asked to create logs with more than one replica', async () => {
    await expect(openDomainEventStore(nc, { replicas: 3 })).rejects.toThrow(/replicas > 1 not supported in non-clustered mode/);
  });

  it('creates every event log with the replicas asked for', async () => {
    const store = await openDomainEventStore(nc, { replicas: 1, logger: new Recorded() });
    await store.close();
    expect(await Promise.all(EVENT_LOGS.map((stream) => replicasOf(jsm, stream)))).toEqual(EVENT_LOGS.map(() => 1));
  });

  it('does not raise existing streams on a server outside a cluster, and says so', async () => {
    const log = new Recorded();
    await ensureStreamReplicas(nc, [EVENT_LOGS[0]!], 3, log);
    const store = await openDomainEventStore(nc, { replicas: 3, logger: log });
    await store.close();
    expect(await Promise.all(EVENT_LOGS.map((stream) => replicasOf(jsm, stream)))).toEqual(EVENT_LOGS.map(() => 1));
    expect(log.lines.map((line) => [line.level, line.message, line.fields?.stream])).toEqual(
      [EVENT_LOGS[0], ...EVENT_LOGS].map((stream) => ['warn', 'JetStream stream not raised to WASMBED_JETSTREAM_REPLICAS: the NATS server is not part of a cluster', stream]),
    );
  });

  it('leaves a stream that does not exist to its creator', async () => {
    const log = new Recorded();
    await ensureStreamReplicas(nc, ['NOT_THERE'], 1, log);
    await expect(jsm.streams.info('NOT_THERE')).rejects.toThrow(/stream not found/);
    expect(log.lines).toEqual([]);
  });
});

/** Three clustered nats-servers on loopback, once their JetStream has a meta leader. */
async function startCluster(): Promise<{ servers: NatsTestServer[]; nc: NatsConnection; jsm: JetStreamManager }> {
  const clusterPorts = [await freePort(), await freePort(), await freePort()];
  const routes = clusterPorts.map((port) => `nats://127.0.0.1:${port}`).join(',');
  const servers: NatsTestServer[] = [];
  for (const [i, port] of clusterPorts.entries()) {
    servers.push(await startNatsServer({ args: ['--name', `replicas-${i}`, '--cluster_name', 'replicas-it', '--cluster', `nats://127.0.0.1:${port}`, '--routes', routes] }));
  }
  const nc = await connect({ servers: servers.map((s) => s.url) });
  const jsm = await eventually('a JetStream meta leader', async () => {
    const manager = await jetstreamManager(nc, { timeout: 2_000 });
    await manager.streams.add({ name: 'QUORUM_CHECK', subjects: ['quorum.>'], num_replicas: 3 });
    return manager;
  }, 60_000);
  return { servers, nc, jsm };
}

describe('replicas on a three-server cluster', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 90_000);
  afterAll(async () => {
    await cluster?.nc.close();
    for (const server of cluster?.servers ?? []) await server.stop();
  });

  it('raises streams below the setting and never lowers those above it', async () => {
    const { nc, jsm } = cluster;
    await jsm.streams.add({ name: 'LOW', subjects: ['low.>'], num_replicas: 1 });
    await jsm.streams.add({ name: 'HIGH', subjects: ['high.>'], num_replicas: 3 });
    const log = new Recorded();
    await ensureStreamReplicas(nc, ['LOW', 'HIGH'], 2, log);
    expect([await replicasOf(jsm, 'LOW'), await replicasOf(jsm, 'HIGH')]).toEqual([2, 3]);
    expect(log.lines).toEqual([
      { level: 'info', message: 'JetStream stream replicas raised', fields: { stream: 'LOW', from: 1, to: 2 } },
      {
        level: 'warn',
        message: 'JetStream stream has more replicas than WASMBED_JETSTREAM_REPLICAS: kept, services never lower them',
        fields: { stream: 'HIGH', replicas: 3, setting: 2 },
      },
    ]);
  });

  it('creates the event logs with R3, and a service set to 1 started later keeps them at R3', async () => {
    const { nc, jsm } = cluster;
    await (await openDomainEventStore(nc, { replicas: 3 })).close();
    expect(await Promise.all(EVENT_LOGS.map((stream) => replicasOf(jsm, stream)))).toEqual(EVENT_LOGS.map(() => 3));

    const log = new Recorded();
    const store = await openDomainEventStore(nc, { replicas: 1, logger: log });
    await store.close();
    expect(await Promise.all(EVENT_LOGS.map((stream) => replicasOf(jsm, stream)))).toEqual(EVENT_LOGS.map(() => 3));
    expect(log.lines.map((line) => [line.level, line.fields?.stream])).toEqual(EVENT_LOGS.map((stream) => ['warn', stream]));
  });

  it('raises R1 event logs to the setting and leaves an R3 one alone', async () => {
    const { nc, jsm } = cluster;
    const [first, ...rest] = EVENT_LOGS;
    expect(rest.length).toBeGreaterThan(0);
    for (const stream of rest) await jsm.streams.update(stream, { num_replicas: 1 });
    const store = await openDomainEventStore(nc, { replicas: 2, logger: new Recorded() });
    await store.close();
    expect(await replicasOf(jsm, first!)).toBe(3);
    for (const stream of rest) expect(await replicasOf(jsm, stream)).toBe(2);
  });
});
