/**
 * k8s-sync against the real thing: kube-apiserver + etcd (with the CRDs, and the sync
 * restricted to the README's Role), nats-server and the built api. Objects are written
 * with the typed client as a user would; the fleet is read back through gRPC and the
 * event log itself.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ApplicationPhase, DevicePhase, GatewayPhase, type GetApplicationResponse, type GetDeviceResponse, type GetGatewayResponse } from '@wasmbed/proto';
import { call, eventually, signedApplicationSpec } from '@wasmbed/testing';
import type { RunningK8sSync } from './app';
import { ANNOTATIONS, FINALIZER, type ApplicationSpec, type DeviceSpec, type GatewaySpec, type ResourceOf, type SyncKind } from './resources';
import { startSyncHarness, type SyncHarness } from './test-support/sync-harness';

jest.setTimeout(180_000);

/** The smallest valid WebAssembly module: enough for the api's checks (no device runs it here). */
const EMPTY_WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const publisherSeed = randomBytes(32);

let h: SyncHarness;
let sync: RunningK8sSync;

const key = () => randomBytes(32).toString('base64');
const deviceSpec = (labels: Record<string, string> = {}): DeviceSpec => ({ publicKey: key(), board: 'nrf52840dk', architecture: 'thumbv7em', labels });

/** An Application spec signed for `revision`, module inline, as a publisher writes it. */
function appSpec(name: string, revision: number, devices: string[], extra: { memoryLimit?: number; seed?: Buffer } = {}): ApplicationSpec {
  const memoryLimit = extra.memoryLimit ?? 65_536;
  const signed = signedApplicationSpec({
    name,
    revision,
    module: EMPTY_WASM,
    publisherSeed: extra.seed ?? publisherSeed,
    requiredHostFunctions: [],
    targets: { kind: { $case: 'deviceNames', value: { names: devices } } },
    memoryLimitBytes: memoryLimit,
  });
  return {
    module: { inlineBase64: EMPTY_WASM.toString('base64') },
    signature: signed.manifestSignature.toString('base64'),
    publisherKey: signed.publisherKey.toString('base64'),
    entryPoint: signed.entryPoint,
    config: { memoryLimit },
    targetDevices: { deviceNames: devices },
  };
}

const getDevice = (name: string) => call<GetDeviceResponse>((done) => h.devices.getDevice({ name }, done)).then((r) => r.device!);
const getApp = (name: string) => call<GetApplicationResponse>((done) => h.apps.getApplication({ name }, done)).then((r) => r.application!);
const getGateway = (name: string) => call<GetGatewayResponse>((done) => h.gateways.getGateway({ name }, done)).then((r) => r.gateway!);
const notFound = (read: Promise<unknown>) => read.then(() => false, (err: { code?: number }) => err.code === 5);

const synced = (o: ResourceOf<SyncKind> | undefined) => o?.status?.conditions?.find((c) => c.type === 'Synced');

/** Waits for an object matching `accept`, with the processes' logs on timeout. */
function objectWhere<K extends SyncKind>(kind: K, name: string, accept: (o: ResourceOf<K>) => boolean, what: string): Promise<ResourceOf<K>> {
  return eventually(`${kind} ${name}: ${what}`, async () => {
    const o = await h.get(kind, name);
    return o !== undefined && accept(o) ? o : undefined;
  }, 30_000, h.logs);
}

async function schemaError(kind: SyncKind, name: string, spec: unknown): Promise<string> {
  try {
    await h.create(kind, name, spec as never);
  } catch (err) {
    const body = (err as { body?: unknown }).body;
    return typeof body === 'string' ? body : JSON.stringify(body);
  }
  throw new Error(`${kind} ${name} was accepted`);
}

beforeAll(async () => {
  h = await startSyncHarness();
  sync = await h.startSync();
  await eventually('the sync leads and has listed both sides', () => sync.isLeader() && sync.ready(), 30_000, h.logs);
}, 240_000);

afterAll(async () => {
  await sync?.stop();
  await h?.stop();
});

describe('Kubernetes → fleet', () => {
  it('registers a Device created with the typed client, with the finalizer, and projects its status', async () => {
    const spec = deviceSpec({ env: 'lab' });
    await h.create('Device', 'dev-a', spec);
    const device = await eventually('dev-a in the fleet', () => getDevice('dev-a').catch(() => undefined), 30_000, h.logs);
    expect(device).toMatchObject({ phase: DevicePhase.DEVICE_PHASE_PENDING, board: 'nrf52840dk', architecture: 'thumbv7em', labels: { env: 'lab' } });
    expect(device.publicKey.toString('base64')).toBe(spec.publicKey);
    const object = await objectWhere('Device', 'dev-a', (o) => o.status?.phase === 'Pending' && synced(o)?.status === 'True', 'Pending and Synced');
    expect(object.metadata.finalizers).toEqual([FINALIZER]);
    expect(object.metadata.annotations).toMatchObject({ [ANNOTATIONS.syncedGeneration]: '1', [ANNOTATIONS.fleetVersion]: String(device.version) });
    expect(synced(object)).toMatchObject({ reason: 'Applied', observedGeneration: 1 });
    expect(object.status).toMatchObject({ observedGeneration: 1, gateway: '' });
  });

  it("writes a new Device's status once, already Pending and Synced: nothing in between the finalizer and the read model", async () => {
    // Every status the apiserver stores for the object, as a watch sees it.
    const kc = new h.k8s.KubeConfig();
    kc.loadFromFile(h.kube.kubeconfigPath);
    const statuses: string[] = [];
    const request = await new h.k8s.Watch(kc).watch(
      `/apis/wasmbed.github.io/v1/namespaces/${h.namespace}/devices`,
      { fieldSelector: 'metadata.name=dev-once' },
      (_type: string, o: ResourceOf<'Device'>) => {
        if (o.status === undefined) return;
        const seen = `${String(o.status.phase)} Synced=${synced(o)?.status}`;
        if (statuses.at(-1) !== seen) statuses.push(seen);
      },
      () => undefined,
    );
    try {
      await h.create('Device', 'dev-once', deviceSpec());
      await objectWhere('Device', 'dev-once', (o) => o.status?.phase === 'Pending' && synced(o)?.status === 'True', 'Pending and Synced');
      // A later write would come within the harness's 200 ms status interval.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(statuses).toEqual(['Pending Synced=True']);
    } finally {
      request.abort();
    }
  });

  it('creates and deploys an Application, and rolls out a new revision when the spec changes', async () => {
    await h.create('Device', 'dev-b', deviceSpec());
    await eventually('dev-b in the fleet', () => getDevice('dev-b').catch(() => undefined), 30_000, h.logs);
    await h.create('Application', 'blinky', appSpec('blinky', 1, ['dev-a', 'dev-b']));
    const app = await eventually('blinky deployed', async () => {
      const a = await getApp('blinky').catch(() => undefined);
      return a?.deployedRevision === 1 ? a : undefined;
    }, 30_000, h.logs);
    expect(app).toMatchObject({ latestRevision: 1, phase: ApplicationPhase.APPLICATION_PHASE_DEPLOYING });
    expect(app.revisions[0]!.rollout?.waves.flatMap((w) => w.devices)).toEqual(['dev-a', 'dev-b']);
    await objectWhere('Application', 'blinky', (o) => o.status?.phase === 'Deploying' && o.status?.deployedRevision === 1 && synced(o)?.status === 'True', 'Deploying revision 1');

    // A new revision needs the rollout of the first to end; with no devices connected it never does, so
    // revision 2 is created but not deployed: Synced=False says why, and the next deploy attempt is retried.
    await h.replaceSpec('Application', 'blinky', () => appSpec('blinky', 2, ['dev-a', 'dev-b'], { memoryLimit: 131_072 }));
    await eventually('revision 2 created', async () => ((await getApp('blinky')).latestRevision === 2 ? true : undefined), 30_000, h.logs);
    const refused = await objectWhere('Application', 'blinky', (o) => synced(o)?.status === 'False' && synced(o)?.observedGeneration === 2, 'Synced=False for generation 2');
    expect(synced(refused)).toMatchObject({ reason: expect.stringMatching(/InvalidTransition|FailedPrecondition/), message: expect.stringMatching(/Deploying|rollout/i) });
  });
});

describe('refusals', () => {
  it('lets the schema refuse invalid specs with readable messages', async () => {
    expect(await schemaError('Device', 'bad-key', { ...deviceSpec(), publicKey: Buffer.alloc(31).toString('base64') })).toMatch(/spec\.publicKey: Invalid value: .* should match/);
    expect(await schemaError('Device', 'bad.name', deviceSpec())).toContain("metadata.name must be a DNS label");
    const two = { ...appSpec('two', 1, ['dev-a']), targetDevices: { deviceNames: ['dev-a'], allDevices: true } };
    expect(await schemaError('Application', 'two', two)).toContain('spec.targetDevices must set exactly one of deviceNames, selector, allDevices');
    const both = { ...appSpec('both', 1, ['dev-a']), module: { inlineBase64: EMPTY_WASM.toString('base64'), sha256: 'a'.repeat(64), sizeBytes: 8 } };
    expect(await schemaError('Application', 'both', both)).toContain('spec.module must set exactly one of inlineBase64 or sha256');
    expect(await schemaError('Application', 'no-mem', { ...appSpec('no-mem', 1, ['dev-a']), config: {} })).toMatch(/spec\.config\.memoryLimit: Required value/);
    expect(await schemaError('Gateway', 'gw-bad', { endpoint: 'no-port', region: 'eu', capacity: 1 })).toMatch(/spec\.endpoint: Invalid value/);

    const rekey = h.replaceSpec('Device', 'dev-a', (spec) => ({ ...spec, publicKey: key() }));
    await expect(rekey).rejects.toMatchObject({ code: 422, body: expect.stringContaining('publicKey is immutable') });
  });

  it('reports a spec the domain refuses as Synced=False and writes no event', async () => {
    // Signed for revision 2 while the object creates revision 1: the api's signature check refuses it.
    await h.create('Application', 'wrong-rev', appSpec('wrong-rev', 2, ['dev-a']));
    // Names a device the fleet does not have.
    await h.create('Application', 'ghost-target', appSpec('ghost-target', 1, ['dev-a', 'ghost']));
    const bad = await objectWhere('Application', 'wrong-rev', (o) => synced(o)?.status === 'False', 'Synced=False');
    expect(synced(bad)).toMatchObject({ reason: 'ManifestSignatureInvalid', message: expect.stringContaining('manifest_signature does not verify for revision 1'), observedGeneration: 1 });
    expect(bad.status?.phase).toBe('NotInFleet');
    const ghost = await objectWhere('Application', 'ghost-target', (o) => synced(o)?.status === 'False', 'Synced=False');
    expect(synced(ghost)).toMatchObject({ reason: 'DeviceNotFound', message: 'target devices not in the fleet: ghost (register them first)' });
    expect(await h.eventCount('application', 'wrong-rev')).toBe(0);
    expect(await h.eventCount('application', 'ghost-target')).toBe(0);
    expect(await notFound(getApp('wrong-rev'))).toBe(true);
  });
});

describe('fleet → Kubernetes', () => {
  it('writes a label change made through gRPC into the spec, as a new synced generation', async () => {
    const before = await objectWhere('Device', 'dev-a', (o) => o.metadata.annotations?.[ANNOTATIONS.syncedGeneration] === String(o.metadata.generation), 'synced');
    await call((done) => h.devices.updateDeviceLabels({ commandId: '', expectedVersion: 0, name: 'dev-a', labels: { env: 'prod', site: 'b' } }, done));
    const after = await objectWhere('Device', 'dev-a', (o) => o.spec.labels?.env === 'prod', 'labels from the fleet');
    expect(after.spec.labels).toEqual({ env: 'prod', site: 'b' });
    expect(after.metadata.generation).toBe(before.metadata.generation! + 1);
    expect(after.metadata.annotations?.[ANNOTATIONS.syncedGeneration]).toBe(String(after.metadata.generation));
    const withReason = await objectWhere('Device', 'dev-a', (o) => synced(o)?.reason === 'AdoptedFromFleet', 'AdoptedFromFleet');
    expect(synced(withReason)?.observedGeneration).toBe(after.metadata.generation);
  });

  it('creates objects for a device, an application revision and a gateway made through gRPC', async () => {
    const publicKey = randomBytes(32);
    await call((done) => h.devices.registerDevice({ commandId: '', expectedVersion: 0, name: 'dev-cli', publicKey, board: 'esp32c3', architecture: 'riscv32imc', labels: { via: 'cli' }, preferredGateway: '' }, done));
    const device = await objectWhere('Device', 'dev-cli', () => true, 'created');
    expect(device.spec).toEqual({ publicKey: publicKey.toString('base64'), board: 'esp32c3', architecture: 'riscv32imc', labels: { via: 'cli' } });
    expect(device.metadata.annotations?.[ANNOTATIONS.origin]).toBe('fleet');

    await call((done) => h.gateways.registerGateway({ commandId: '', expectedVersion: 0, name: 'gw-cli', endpoint: 'gw-cli.lab:4423', region: 'eu', capacity: 10, heartbeatIntervalSeconds: 0, enrollmentTimeoutSeconds: 0 }, done));
    const gateway = await objectWhere('Gateway', 'gw-cli', (o) => o.status?.phase === 'Registered', 'created with status');
    expect(gateway.spec).toEqual({ endpoint: 'gw-cli.lab:4423', region: 'eu', capacity: 10, config: { heartbeatInterval: 30, enrollmentTimeout: 60 } });

    const proto = signedApplicationSpec({ name: 'cli-app', revision: 1, module: EMPTY_WASM, publisherSeed, requiredHostFunctions: [], targets: { kind: { $case: 'allDevices', value: true } }, memoryLimitBytes: 65_536 });
    await call((done) => h.apps.createApplication({ commandId: '', expectedVersion: 0, name: 'cli-app', spec: proto }, done));
    const created = await objectWhere('Application', 'cli-app', (o) => o.status?.phase === 'Creating', 'created, never deployed');
    expect(created.spec.module).toEqual({ sha256: createHash('sha256').update(EMPTY_WASM).digest('hex'), sizeBytes: EMPTY_WASM.length });
    expect(created.spec.targetDevices).toEqual({ allDevices: true });
    expect(created.metadata.annotations?.[ANNOTATIONS.fleetRevision]).toBe('1');

    const revision2 = signedApplicationSpec({ name: 'cli-app', revision: 2, module: EMPTY_WASM, publisherSeed, requiredHostFunctions: [], targets: { kind: { $case: 'allDevices', value: true } }, memoryLimitBytes: 131_072 });
    await call((done) => h.apps.updateApplication({ commandId: '', expectedVersion: 0, name: 'cli-app', spec: revision2 }, done));
    const updated = await objectWhere('Application', 'cli-app', (o) => o.spec.config.memoryLimit === 131_072, 'spec of revision 2');
    expect(updated.metadata.annotations).toMatchObject({ [ANNOTATIONS.fleetRevision]: '2', [ANNOTATIONS.syncedGeneration]: '2' });
    // Adopting a revision deploys nothing: the CLI did not.
    expect((await getApp('cli-app')).deployedRevision).toBe(0);
  });

  it('deletes the object of an application deleted through gRPC', async () => {
    await objectWhere('Application', 'cli-app', (o) => synced(o)?.status === 'True', 'Synced');
    await call((done) => h.apps.deleteApplication({ commandId: '', expectedVersion: 0, name: 'cli-app' }, done));
    await eventually('cli-app object gone', async () => (await h.get('Application', 'cli-app')) === undefined, 30_000, h.logs);
  });
});

describe('Gateway objects', () => {
  it('register a gateway, change its settings, and drain and deregister it on deletion', async () => {
    const spec: GatewaySpec = { endpoint: 'gw-k.lab:4423', region: 'eu', capacity: 50, ports: { tls: 4423, http: 8080 } };
    await h.create('Gateway', 'gw-k', spec);
    await eventually('gw-k registered', () => getGateway('gw-k').catch(() => undefined), 30_000, h.logs);
    await objectWhere('Gateway', 'gw-k', (o) => synced(o)?.status === 'True', 'Synced');
    await h.replaceSpec('Gateway', 'gw-k', () => ({ ...spec, capacity: 75, config: { heartbeatInterval: 10 } }));
    await eventually('gw-k reconfigured', async () => {
      const gw = await getGateway('gw-k');
      return gw.capacity === 75 && gw.heartbeatIntervalSeconds === 10 ? gw : undefined;
    }, 30_000, h.logs);
    await h.remove('Gateway', 'gw-k');
    await eventually('gw-k object gone', async () => (await h.get('Gateway', 'gw-k')) === undefined, 30_000, h.logs);
    expect((await getGateway('gw-k')).phase).toBe(GatewayPhase.GATEWAY_PHASE_DEREGISTERED);
  });
});

describe('deletion', () => {
  it('revokes a deleted Device before the object goes, and does not bring it back', async () => {
    await h.create('Device', 'dev-gone', deviceSpec());
    await objectWhere('Device', 'dev-gone', (o) => synced(o)?.status === 'True', 'Synced');
    await h.remove('Device', 'dev-gone');
    await eventually('dev-gone object deleted', async () => (await h.get('Device', 'dev-gone')) === undefined, 30_000, h.logs);
    const device = await getDevice('dev-gone');
    expect(device).toMatchObject({ phase: DevicePhase.DEVICE_PHASE_REVOKED, revocationReason: 'Device object deleted in Kubernetes' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await h.get('Device', 'dev-gone')).toBeUndefined();
  });

  it('deletes a deleted Application in the fleet before the object goes', async () => {
    await h.create('Device', 'dev-c', deviceSpec());
    await eventually('dev-c in the fleet', () => getDevice('dev-c').catch(() => undefined), 30_000, h.logs);
    await h.create('Application', 'short-lived', appSpec('short-lived', 1, ['dev-c']));
    await eventually('short-lived deployed', async () => ((await getApp('short-lived').catch(() => undefined))?.deployedRevision === 1 ? true : undefined), 30_000, h.logs);
    await h.remove('Application', 'short-lived');
    await eventually('short-lived object deleted', async () => (await h.get('Application', 'short-lived')) === undefined, 30_000, h.logs);
    expect(await notFound(getApp('short-lived'))).toBe(true);
    expect(await h.eventCount('application', 'short-lived')).toBeGreaterThan(0);
  });
});

describe('HTTP', () => {
  it('answers probes, metrics and its status document', async () => {
    const base = `http://127.0.0.1:${sync.httpPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { 'kubernetes.Device': 'synced', 'fleet.Application': 'synced' } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^wasmbed_k8s_sync_leader 1$/m);
    expect(metrics).toMatch(/^wasmbed_k8s_sync_commands_total\{command="RegisterDevice",outcome="applied"\} [1-9]/m);
    expect(metrics).toMatch(/^wasmbed_k8s_sync_status_writes_total\{kind="Device"\} [1-9]/m);
    expect(await (await fetch(`${base}/status`)).json()).toMatchObject({ leader: true, namespace: h.namespace, identity: 'sync-test-1' });
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('restarts', () => {
  it('sends no command twice after a restart, and applies a change made while it was down exactly once', async () => {
    const watched: [Parameters<SyncHarness['eventCount']>[0], string][] = [
      ['device', 'dev-a'],
      ['device', 'dev-b'],
      ['device', 'dev-cli'],
      ['application', 'blinky'],
      ['gateway', 'gw-k'],
    ];
    const counts = async () => Promise.all(watched.map(([type, id]) => h.eventCount(type, id)));
    await sync.flushStatus();
    const before = await counts();
    await sync.stop();

    await h.replaceSpec('Device', 'dev-b', (spec) => ({ ...spec, labels: { while: 'down' } }));

    sync = await h.startSync();
    await eventually('the new sync leads', () => sync.isLeader() && sync.ready(), 30_000, h.logs);
    await eventually('dev-b relabelled', async () => ((await getDevice('dev-b')).labels.while === 'down' ? true : undefined), 30_000, h.logs);
    await objectWhere('Device', 'dev-b', (o) => o.metadata.annotations?.[ANNOTATIONS.syncedGeneration] === String(o.metadata.generation), 'synced');
    // Give the new leader time to go over every object (and retry the refused ones) once more.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = await counts();
    expect(after).toEqual(before.map((n, i) => (watched[i]![1] === 'dev-b' ? n + 1 : n)));
  });
});
