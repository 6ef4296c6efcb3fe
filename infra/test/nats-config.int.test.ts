import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { eventually, freePort, startNatsServer, type NatsTestServer } from '@wasmbed/testing';
import { renderKustomization } from './support/kustomize-lite';
import { objectAt, stringAt } from './support/json';
import { BASE_DIR, DEV_DIR } from './support/paths';
import { configMapValue, workloadsOf } from './support/workloads';

/**
 * The nats.conf the manifests deploy, run by a real nats-server: the base's three
 * servers form one JetStream cluster that holds R3 streams, the dev overlay's one
 * server holds R1 streams. Only what a laptop cannot have is changed: loopback
 * ports (flags), the store directory (nats-server refuses -sd next to store_dir),
 * and $POD_NAME, which the StatefulSet sets to the pod's name, is written in.
 */

interface DeployedNats {
  readonly conf: string;
  readonly probePaths: string[];
}

function deployedNats(dir: string): DeployedNats {
  const { objects } = renderKustomization(dir);
  const nats = workloadsOf(objects).find((w) => w.name === 'wasmbed-nats');
  if (nats === undefined) throw new Error(`no wasmbed-nats in ${dir}`);
  const probePaths = ['startupProbe', 'livenessProbe', 'readinessProbe'].map(
    (probe) => stringAt(objectAt(objectAt(nats.containers[0], probe), 'httpGet'), 'path') ?? '',
  );
  return { conf: configMapValue(objects, 'wasmbed-nats-config', 'nats.conf'), probePaths };
}

interface RunningNats {
  readonly server: NatsTestServer;
  readonly monitorPort: number;
  readonly dir: string;
}

const STORE_DIR_LINE = /^(\s*store_dir:\s*)\/data\/jetstream\s*$/m;
const SERVER_NAME_LINE = /^server_name: \$POD_NAME$/m;

async function runNats(conf: string, name: string, args: readonly string[]): Promise<RunningNats> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmbed-nats-conf-'));
  const file = join(dir, 'nats.conf');
  await writeFile(file, conf.replace(STORE_DIR_LINE, `$1"${join(dir, 'store')}"`).replace(SERVER_NAME_LINE, `server_name: ${name}`));
  const monitorPort = await freePort();
  try {
    const server = await startNatsServer({
      jetstream: false,
      args: ['-c', file, '-m', String(monitorPort), '-P', join(dir, 'nats.pid'), ...args],
    });
    return { server, monitorPort, dir };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function stopAll(running: readonly RunningNats[]): Promise<void> {
  for (const r of running) {
    await r.server.stop();
    await rm(r.dir, { recursive: true, force: true });
  }
}

async function expectProbesHealthy(running: RunningNats, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const status = await eventually(`${path} healthy`, async () => {
      const res = await fetch(`http://127.0.0.1:${running.monitorPort}${path}`);
      return res.status === 200 ? res.status : undefined;
    });
    expect([path, status]).toEqual([path, 200]);
  }
}

describe('base nats.conf', () => {
  const deployed = deployedNats(BASE_DIR);
  const names = ['wasmbed-nats-0', 'wasmbed-nats-1', 'wasmbed-nats-2'];
  const running: RunningNats[] = [];
  let nc: NatsConnection | undefined;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    expect(deployed.conf).toMatch(STORE_DIR_LINE);
    expect(deployed.conf).toMatch(SERVER_NAME_LINE);
    const clusterPorts = await Promise.all(names.map(() => freePort()));
    const routes = clusterPorts.map((port) => `nats://127.0.0.1:${port}`).join(',');
    for (const [i, name] of names.entries()) {
      running.push(await runNats(deployed.conf, name, ['--cluster', `nats://127.0.0.1:${clusterPorts[i]}`, '--routes', routes]));
    }
    const conn = await connect({ servers: running[0]?.server.url });
    nc = conn;
    // JetStream answers once the cluster elected its metadata leader.
    jsm = await eventually('JetStream of the cluster', () => jetstreamManager(conn, { timeout: 2_000 }), 30_000);
  });

  afterAll(async () => {
    await nc?.close();
    await stopAll(running);
  });

  it('forms one JetStream cluster of three servers that keeps an R3 stream on all of them', async () => {
    await eventually('an R3 stream', () => jsm.streams.add({ name: 'R3_CHECK', subjects: ['r3check.>'], num_replicas: 3 }), 30_000);
    const info = await eventually('both followers current', async () => {
      const i = await jsm.streams.info('R3_CHECK');
      return i.cluster?.replicas?.length === 2 && i.cluster.replicas.every((r) => r.current) ? i : undefined;
    });
    expect(info.cluster?.name).toBe('wasmbed');
    expect([info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)].sort()).toEqual(names);
    expect(info.config.num_replicas).toBe(3);
  });

  it('answers the StatefulSet probes with 200 on every server', async () => {
    for (const r of running) await expectProbesHealthy(r, deployed.probePaths);
  });
});

describe('dev nats.conf', () => {
  const deployed = deployedNats(DEV_DIR);
  let running: RunningNats | undefined;
  let nc: NatsConnection | undefined;

  beforeAll(async () => {
    expect(deployed.conf).toMatch(STORE_DIR_LINE);
    expect(deployed.conf).toMatch(SERVER_NAME_LINE);
    running = await runNats(deployed.conf, 'wasmbed-nats-0', []);
    nc = await connect({ servers: running.server.url });
  });

  afterAll(async () => {
    await nc?.close();
    if (running) await stopAll([running]);
  });

  it('runs one JetStream server that takes R1 streams and refuses R3 ones', async () => {
    const jsm = await jetstreamManager(nc as NatsConnection);
    const r1 = await jsm.streams.add({ name: 'R1_CHECK', subjects: ['r1check.>'], num_replicas: 1 });
    expect(r1.config.num_replicas).toBe(1);
    expect(r1.cluster?.replicas ?? []).toEqual([]);
    await expect(jsm.streams.add({ name: 'R3_CHECK', subjects: ['r3check.>'], num_replicas: 3 })).rejects.toThrow(/replicas/i);
  });

  it('answers the StatefulSet probes with 200', async () => {
    await expectProbesHealthy(running as RunningNats, deployed.probePaths);
  });
});
