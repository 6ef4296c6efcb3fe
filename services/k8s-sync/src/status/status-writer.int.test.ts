import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Application, ApplicationPhase, RolloutPhase } from '@wasmbed/proto';
import { createJsonLogger } from '@wasmbed/service-kit';
import { eventually, startKubeApiServer, type KubeApiServer } from '@wasmbed/testing';
import { Registry } from 'prom-client';
import { canonicalJson, projectApplicationStatus, StatusWriter, type StatusWriterOptions } from './index';
import { loadKubernetesClient, type KubernetesClientModule } from '../kube/client-module';

type KubeClient = KubernetesClientModule;
type CustomObjectsApi = InstanceType<KubeClient['CustomObjectsApi']>;

const CRDS = join(__dirname, '../../../../infra/crds');
const GROUP = 'wasmbed.github.io';
const logger = createJsonLogger('k8s-sync-test', 'error');

const deviceSpec = { publicKey: randomBytes(32).toString('base64'), board: 'sim-board', architecture: 'wasm32-sim' };
const applicationSpec = {
  module: { sha256: 'ab'.repeat(32), sizeBytes: 1024 },
  signature: randomBytes(64).toString('base64'),
  publisherKey: randomBytes(32).toString('base64'),
  entryPoint: 'run',
  config: { memoryLimit: 65536 },
  targetDevices: { allDevices: true },
};

const status = (n: number, extra: object = {}) => ({
  phase: 'Connected',
  gateway: 'gw-a',
  applications: [],
  applicationsTotal: 0,
  lastSeen: new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString().replace('.000', ''),
  conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: `n=${n}`, lastTransitionTime: '2024-01-01T00:00:00Z' }],
  ...extra,
});

describe('StatusWriter against a real kube-apiserver', () => {
  let kube: KubeApiServer;
  let k8s: KubeClient;
  let customObjects: CustomObjectsApi;
  let namespaces = 0;
  const writers: StatusWriter[] = [];

  beforeAll(async () => {
    k8s = await loadKubernetesClient();
    kube = await startKubeApiServer();
    await kube.kubectl(['apply', '-k', CRDS]);
    await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', `crd/devices.${GROUP}`, `crd/applications.${GROUP}`, `crd/gateways.${GROUP}`]);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kube.kubeconfigPath);
    customObjects = kc.makeApiClient(k8s.CustomObjectsApi);
  }, 180_000);

  afterEach(async () => {
    await Promise.all(writers.splice(0).map((w) => w.stop({ flush: false })));
  });

  afterAll(async () => {
    await kube?.stop();
  });

  /** A fresh namespace (namespaces never finish deleting here) with the named Devices in it. */
  async function namespaceWith(devices: string[]): Promise<string> {
    const namespace = `status-${++namespaces}`;
    await kube.kubectl(['create', 'namespace', namespace]);
    for (const name of devices) {
      await customObjects.createNamespacedCustomObject({ group: GROUP, version: 'v1', namespace, plural: 'devices', body: { apiVersion: `${GROUP}/v1`, kind: 'Device', metadata: { name }, spec: deviceSpec } });
    }
    return namespace;
  }

  function writer(namespace: string, options: Partial<StatusWriterOptions> = {}): StatusWriter {
    const w = new StatusWriter({ customObjects, namespace, minIntervalMs: 1_500, logger, registry: new Registry(), ...options });
    writers.push(w);
    return w;
  }

  async function statusOf(namespace: string, plural: string, name: string): Promise<unknown> {
    const obj = (await customObjects.getNamespacedCustomObjectStatus({ group: GROUP, version: 'v1', namespace, plural, name })) as { status?: unknown };
    return obj.status;
  }

  it('writes the first status at once and coalesces 200 changes within a second into at most 2 writes, the latest winning', async () => {
    const namespace = await namespaceWith(['dev-a']);
    const w = writer(namespace, { minIntervalMs: 3_000 });
    const started = Date.now();
    w.set('Device', 'dev-a', status(0));
    for (let n = 1; n < 200; n += 1) {
      w.set('Device', 'dev-a', status(n));
      if (n % 20 === 0) await new Promise((r) => setTimeout(r, 100));
    }
    // About a second; within one interval whatever the machine's load, so at most one more write is due.
    expect(Date.now() - started).toBeLessThan(3_000);
    await eventually('the latest status in the apiserver', async () => canonicalJson(await statusOf(namespace, 'devices', 'dev-a')) === canonicalJson(status(199)), 10_000);
    const stats = w.stats();
    expect(stats.writes).toBeLessThanOrEqual(2);
    expect(stats.writes).toBeGreaterThanOrEqual(1);
    expect(stats.coalesced).toBeGreaterThanOrEqual(197);
    expect(stats.pending).toBe(0);
  });

  it('writes nothing for an unchanged status, nor for what the apiserver already holds', async () => {
    const namespace = await namespaceWith(['dev-b']);
    const first = writer(namespace);
    first.set('Device', 'dev-b', status(1));
    await first.flush();
    expect(first.stats().writes).toBe(1);
    first.set('Device', 'dev-b', status(1));
    first.set('Device', 'dev-b', { ...status(1), conditions: [{ ...status(1).conditions[0], lastTransitionTime: '2030-01-01T00:00:00Z' }] });
    await first.flush();
    expect(first.stats()).toMatchObject({ writes: 1, skippedUnchanged: 2 });

    // A restarted instance that observed the stored status writes nothing for the same value.
    const restarted = writer(namespace);
    restarted.observe('Device', 'dev-b', (await statusOf(namespace, 'devices', 'dev-b')) as object);
    restarted.set('Device', 'dev-b', status(1));
    await restarted.flush();
    expect(restarted.stats()).toMatchObject({ writes: 0, skippedUnchanged: 1 });
  });

  it('replaces the whole status, so a field the projection drops disappears', async () => {
    const namespace = await namespaceWith(['dev-c']);
    const w = writer(namespace, { minIntervalMs: 0 });
    w.set('Device', 'dev-c', status(1, { sessionId: 's-1' }));
    await w.flush();
    expect(await statusOf(namespace, 'devices', 'dev-c')).toMatchObject({ sessionId: 's-1' });
    w.set('Device', 'dev-c', status(2));
    await w.flush();
    expect(await statusOf(namespace, 'devices', 'dev-c')).not.toHaveProperty('sessionId');
  });

  it('forgets an object that does not exist (404) instead of retrying', async () => {
    const namespace = await namespaceWith([]);
    const w = writer(namespace);
    w.set('Gateway', 'no-such-gateway', { phase: 'Online', connectedDevices: 0, sessions: '0/1', pairing: { enabled: false }, conditions: [] });
    await w.flush();
    expect(w.stats()).toMatchObject({ writes: 0, notFound: 1, pending: 0, inFlight: 0 });
  });

  it('retries a refused write with back-off, and a newer status replaces the refused one', async () => {
    const namespace = await namespaceWith(['dev-d']);
    const w = writer(namespace, { minIntervalMs: 0 });
    // The CRD's schema refuses a condition status outside True/False/Unknown (422).
    w.set('Device', 'dev-d', { ...status(1), conditions: [{ ...status(1).conditions[0], status: 'Maybe' }] });
    await w.flush();
    expect(w.stats()).toMatchObject({ writes: 0, errors: 1, pending: 1 });
    w.set('Device', 'dev-d', status(2));
    await eventually('the corrected status written after the back-off', async () => w.stats().writes === 1, 10_000);
    expect(await statusOf(namespace, 'devices', 'dev-d')).toEqual(status(2));
  });

  it('writes many objects with bounded concurrency and reports its metrics', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `dev-m${i}`);
    const namespace = await namespaceWith(names);
    const registry = new Registry();
    const w = writer(namespace, { maxInFlight: 4, registry });
    let maxInFlight = 0;
    const sampler = setInterval(() => (maxInFlight = Math.max(maxInFlight, w.stats().inFlight)), 1);
    for (const name of names) w.set('Device', name, status(3));
    await w.flush();
    clearInterval(sampler);
    expect(w.stats()).toMatchObject({ writes: 40, pending: 0, inFlight: 0 });
    expect(maxInFlight).toBeLessThanOrEqual(4);
    for (const name of names.slice(0, 3)) expect(await statusOf(namespace, 'devices', name)).toEqual(status(3));
    const text = await registry.metrics();
    expect(text).toMatch(/wasmbed_k8s_sync_status_writes_total\{kind="Device"\} 40/);
    expect(text).toMatch(/wasmbed_k8s_sync_status_largest_bytes\{kind="Device"\} \d{3}/);
  });

  it('writes the projection of a 10,000-device application, accepted by the CRD schema and small', async () => {
    const namespace = await namespaceWith([]);
    await customObjects.createNamespacedCustomObject({ group: GROUP, version: 'v1', namespace, plural: 'applications', body: { apiVersion: `${GROUP}/v1`, kind: 'Application', metadata: { name: 'fleet-app' }, spec: applicationSpec } });
    const devices = Array.from({ length: 10_000 }, (_, i) => `device-${i}`);
    const app = Application.fromPartial({
      name: 'fleet-app',
      phase: ApplicationPhase.APPLICATION_PHASE_PARTIALLY_RUNNING,
      latestRevision: 1,
      deployedRevision: 1,
      updatedAt: new Date(),
      revisions: [
        {
          revision: 1,
          spec: { module: { sha256: Buffer.alloc(32, 7), sizeBytes: 1024 } },
          rollout: {
            phase: RolloutPhase.ROLLOUT_PHASE_COMPLETED,
            waves: [{ index: 0, devices }],
            counts: { running: 9_000, failed: 1_000 },
            failingDevices: devices.slice(0, 1_000).map((device) => ({ device, reason: 'trap: out of bounds memory access', failedAt: new Date() })),
          },
        },
      ],
    });
    const w = writer(namespace);
    w.set('Application', 'fleet-app', projectApplicationStatus(app, { observedGeneration: 1 }));
    await w.flush();
    expect(w.stats().writes).toBe(1);
    expect(w.stats().largestBytes).toBeLessThan(8 * 1024);
    const { stdout } = await kube.kubectl(['get', 'applications.wasmbed.github.io', 'fleet-app', '-n', namespace, '--no-headers']);
    expect(stdout).toMatch(/^fleet-app\s+PartiallyRunning\s+1\s+9000\/10000\s+/);
  });
});
