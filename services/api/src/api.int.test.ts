import { Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import { hasModule } from '@wasmbed/device-bus';
import { loadExampleApp } from '@wasmbed/example-apps';
import { createClient, hashToken } from '@wasmbed/grpc-kit';
import {
  ApplicationServiceClient,
  ChangeKind,
  CreateApplicationRequest,
  DevicePhase,
  DeviceServiceClient,
  GatewayServiceClient,
  RegisterDeviceRequest,
  type DeviceChange,
  type GetApplicationResponse,
  type GetDeviceResponse,
  type GetGatewayResponse,
  type ListDevicesResponse,
  type RegisterDeviceResponse,
  type SetPairingModeResponse,
} from '@wasmbed/proto';
import { startApi } from './app';
import { createLogger } from './logger';
import { apiConfig, TOKENS, withApi } from './test-support/api-fixture';
import { call, collect, failure, healthStatus, reflectedServices } from './test-support/grpc-clients';
import { getJson, getText, SseClient } from './test-support/http-client';
import { Publisher } from './test-support/publisher';

const fixture = withApi();
const client: ReturnType<typeof fixture>['client'] = (ctor, role) => fixture().client(ctor, role);
let address: string;
let httpBase: string;
beforeAll(() => {
  ({ address, httpBase } = fixture());
});

const register = (name: string, overrides: Partial<RegisterDeviceRequest> = {}) =>
  RegisterDeviceRequest.fromPartial({ name, publicKey: Buffer.alloc(32, 7), board: 'nrf52840dk', architecture: 'thumbv7em', labels: { env: 'lab' }, ...overrides });

describe('DeviceService', () => {
  it('registers a device that Get and List see right away', async () => {
    const devices = client(DeviceServiceClient, 'operator');
    const registered = await call<RegisterDeviceResponse>((done) => devices.registerDevice(register('dev-a', { preferredGateway: 'gw-x' }), done));
    expect(registered.version).toBeGreaterThan(0);

    const { device } = await call<GetDeviceResponse>((done) => devices.getDevice({ name: 'dev-a' }, done));
    expect(device).toMatchObject({
      name: 'dev-a',
      phase: DevicePhase.DEVICE_PHASE_PENDING,
      board: 'nrf52840dk',
      labels: { env: 'lab' },
      preferredGateway: 'gw-x',
      version: registered.version,
    });
    expect(device?.publicKey.equals(Buffer.alloc(32, 7))).toBe(true);

    const list = await call<ListDevicesResponse>((done) => devices.listDevices({ pageSize: 0, pageToken: '', labelSelector: 'env=lab', phase: 0, gateway: '' }, done));
    expect(list.devices.map((d) => d.name)).toContain('dev-a');
    const none = await call<ListDevicesResponse>((done) => devices.listDevices({ pageSize: 0, pageToken: '', labelSelector: 'env=prod', phase: 0, gateway: '' }, done));
    expect(none.devices).toEqual([]);
  });

  it('refuses a second registration of the same name with ALREADY_EXISTS', async () => {
    const devices = client(DeviceServiceClient, 'operator');
    await call((done) => devices.registerDevice(register('dev-dup'), done));
    const err = await failure(call((done) => devices.registerDevice(register('dev-dup'), done)));
    expect(err.codeName).toBe('ALREADY_EXISTS');
    expect(err.details).toContain("device 'dev-dup' already exists");
  });

  it('answers malformed requests with INVALID_ARGUMENT and a readable message', async () => {
    const devices = client(DeviceServiceClient, 'operator');
    const shortKey = await failure(call((done) => devices.registerDevice(register('dev-bad', { publicKey: Buffer.alloc(31) }), done)));
    expect(shortKey.codeName).toBe('INVALID_ARGUMENT');
    expect(shortKey.details).toContain('publicKey: must be exactly 32 bytes');

    const noName = await failure(call((done) => devices.registerDevice(register(''), done)));
    expect(noName.codeName).toBe('INVALID_ARGUMENT');
    expect(noName.details).toContain('name: must be a DNS label');

    // Refused by the domain, reported with the request's field name.
    const noBoard = await failure(call((done) => devices.registerDevice(register('dev-noboard', { board: ' ' }), done)));
    expect(noBoard.codeName).toBe('INVALID_ARGUMENT');
    expect(noBoard.details).toMatch(/^invalid board: must be non-empty text/);
  });

  it('answers NOT_FOUND for a device that does not exist', async () => {
    const devices = client(DeviceServiceClient, 'viewer');
    const err = await failure(call((done) => devices.getDevice({ name: 'nobody' }, done)));
    expect(err.codeName).toBe('NOT_FOUND');
    expect(err.details).toBe("device 'nobody' not found");
  });

  it('enforces expected_version: a stale one is ABORTED and writes nothing', async () => {
    const devices = client(DeviceServiceClient, 'operator');
    const { version } = await call<RegisterDeviceResponse>((done) => devices.registerDevice(register('dev-occ'), done));
    const stream = { aggregateType: 'device', aggregateId: 'dev-occ' };
    const before = await fixture().eventStore.readStream(stream);

    const stale = await failure(
      call((done) => devices.updateDeviceLabels({ commandId: '', expectedVersion: version + 1000, name: 'dev-occ', labels: { env: 'prod' } }, done)),
    );
    expect(stale.codeName).toBe('ABORTED');
    expect(stale.details).toContain(`at version ${version}, expected ${version + 1000}`);
    expect((await fixture().eventStore.readStream(stream)).streamVersion).toBe(before.streamVersion);

    const fresh = await call<{ version: number }>((done) =>
      devices.updateDeviceLabels({ commandId: '', expectedVersion: version, name: 'dev-occ', labels: { env: 'prod' } }, done),
    );
    expect(fresh.version).toBeGreaterThan(version);
    const { device } = await call<GetDeviceResponse>((done) => devices.getDevice({ name: 'dev-occ' }, done));
    expect(device).toMatchObject({ labels: { env: 'prod' }, version: fresh.version });
  });

  it('replays a retried command id instead of applying it twice', async () => {
    const devices = client(DeviceServiceClient, 'operator');
    const request = register('dev-retry', { commandId: 'cmd-retry-1' });
    const first = await call<RegisterDeviceResponse>((done) => devices.registerDevice(request, done));
    const again = await call<RegisterDeviceResponse>((done) => devices.registerDevice(request, done));
    expect(again.version).toBe(first.version);
  });

  it('requires a token, and the operator role for commands', async () => {
    const anonymous = client(DeviceServiceClient);
    const noToken = await failure(call((done) => anonymous.getDevice({ name: 'dev-a' }, done)));
    expect(noToken.codeName).toBe('UNAUTHENTICATED');

    const viewer = client(DeviceServiceClient, 'viewer');
    const denied = await failure(call((done) => viewer.registerDevice(register('dev-viewer'), done)));
    expect(denied.codeName).toBe('PERMISSION_DENIED');
    expect(denied.details).toContain("requires role 'operator'");
  });

  it('streams the current devices, then a change made after the watch started', async () => {
    const devices = client(DeviceServiceClient, 'operator');
    await call((done) => devices.registerDevice(register('dev-w1', { labels: { watch: 'yes' } }), done));
    const watch: ClientReadableStream<DeviceChange> = client(DeviceServiceClient, 'viewer').watchDevices({ labelSelector: 'watch=yes', phase: 0 });
    const changes = collect(watch, 3);
    const [initial] = await collect(watch, 1);
    expect(initial).toMatchObject({ kind: ChangeKind.CHANGE_KIND_ADDED, device: { name: 'dev-w1' } });

    await call((done) => devices.registerDevice(register('dev-w2', { labels: { watch: 'yes' } }), done));
    await call((done) => devices.updateDeviceLabels({ commandId: '', expectedVersion: 0, name: 'dev-w1', labels: { watch: 'no' } }, done));
    const [, added, left] = await changes;
    expect(added).toMatchObject({ kind: ChangeKind.CHANGE_KIND_ADDED, device: { name: 'dev-w2' } });
    // Leaving the selector looks like a deletion from this watcher's point of view.
    expect(left).toMatchObject({ kind: ChangeKind.CHANGE_KIND_DELETED, device: { name: 'dev-w1', labels: { watch: 'no' } } });
    expect(left.position).toBeGreaterThan(added.position);
    watch.cancel();
  });
});

describe('GatewayService and pairing mode', () => {
  it('registers gateways (admin only) and switches pairing mode on one or all of them', async () => {
    const asOperator = client(GatewayServiceClient, 'operator');
    const denied = await failure(
      call((done) => asOperator.registerGateway({ commandId: '', expectedVersion: 0, name: 'gw-1', endpoint: 'gw-1.lab:4423', region: 'eu', capacity: 10, heartbeatIntervalSeconds: 0, enrollmentTimeoutSeconds: 0 }, done)),
    );
    expect(denied.codeName).toBe('PERMISSION_DENIED');

    const gateways = client(GatewayServiceClient, 'admin');
    for (const name of ['gw-1', 'gw-2']) {
      await call((done) => gateways.registerGateway({ commandId: '', expectedVersion: 0, name, endpoint: `${name}.lab:4423`, region: 'eu', capacity: 10, heartbeatIntervalSeconds: 0, enrollmentTimeoutSeconds: 0 }, done));
    }
    const { gateway } = await call<GetGatewayResponse>((done) => gateways.getGateway({ name: 'gw-1' }, done));
    expect(gateway).toMatchObject({ name: 'gw-1', endpoint: 'gw-1.lab:4423', capacity: 10, heartbeatIntervalSeconds: 30, pairing: { enabled: false } });

    const devices = client(DeviceServiceClient, 'operator');
    const one = await call<SetPairingModeResponse>((done) =>
      devices.setPairingMode({ commandId: '', expectedVersion: gateway!.version, target: { $case: 'gateway', value: 'gw-1' }, enabled: true, durationSeconds: 120 }, done),
    );
    expect(one.results).toHaveLength(1);
    expect(one.results[0]).toMatchObject({ gateway: 'gw-1', enabled: true });
    const window = one.results[0].until!.getTime() - Date.now();
    expect(window).toBeGreaterThan(100_000);
    expect(window).toBeLessThanOrEqual(120_000);

    const all = await call<SetPairingModeResponse>((done) =>
      devices.setPairingMode({ commandId: '', expectedVersion: 0, target: { $case: 'allGateways', value: true }, enabled: false, durationSeconds: 0 }, done),
    );
    expect(all.results.map((r) => [r.gateway, r.enabled])).toEqual([
      ['gw-1', false],
      ['gw-2', false],
    ]);
    const after = await call<GetGatewayResponse>((done) => gateways.getGateway({ name: 'gw-1' }, done));
    expect(after.gateway?.pairing).toEqual({ enabled: false, until: undefined });

    const missing = await failure(
      call((done) => devices.setPairingMode({ commandId: '', expectedVersion: 0, target: { $case: 'gateway', value: 'gw-nope' }, enabled: true, durationSeconds: 0 }, done)),
    );
    expect(missing.codeName).toBe('NOT_FOUND');
  });
});

describe('ApplicationService', () => {
  const publisher = Publisher.generate();
  const hello = loadExampleApp('hello');

  it('creates an application that Get returns with its first revision, storing the module sent inline', async () => {
    const apps = client(ApplicationServiceClient, 'operator');
    const spec = publisher.spec({ name: 'blinky', revision: 1, module: hello, targets: { $case: 'selector', value: { matchLabels: { env: 'lab' } } } });
    const created = await call<{ version: number; revision: number }>((done) => apps.createApplication(CreateApplicationRequest.fromPartial({ name: 'blinky', spec }), done));
    expect(created.revision).toBe(1);
    expect(await hasModule(fixture().nc, spec.module!.sha256.toString('hex'))).toBe(true);

    const { application } = await call<GetApplicationResponse>((done) => apps.getApplication({ name: 'blinky' }, done));
    expect(application).toMatchObject({ name: 'blinky', latestRevision: 1, deployedRevision: 0, version: created.version });
    // Read models keep the module's hash and size only.
    expect(application?.revisions[0].spec?.module).toEqual({ sha256: spec.module!.sha256, sizeBytes: hello.length, source: undefined });
    expect(application?.revisions[0].rollout).toBeUndefined();
  });

  it('deploys to the devices a name list resolves to, and names the unknown ones', async () => {
    const apps = client(ApplicationServiceClient, 'operator');
    const create = (name: string, names: string[]) =>
      call((done) =>
        apps.createApplication(
          CreateApplicationRequest.fromPartial({ name, spec: publisher.spec({ name, revision: 1, module: hello, targets: { $case: 'deviceNames', value: { names } } }) }),
          done,
        ),
      );
    await create('named', ['dev-a', 'ghost-2', 'ghost-1']);
    const unknown = await failure(call((done) => apps.deployApplication({ commandId: '', expectedVersion: 0, name: 'named', revision: 0 }, done)));
    expect(unknown.codeName).toBe('NOT_FOUND');
    expect(unknown.details).toBe('devices not found: ghost-1, ghost-2');

    await create('solo', ['dev-a']);
    const deployed = await call<{ version: number; revision: number; excludedDevices: unknown[] }>((done) =>
      apps.deployApplication({ commandId: '', expectedVersion: 0, name: 'solo', revision: 0 }, done),
    );
    expect(deployed).toMatchObject({ revision: 1, excludedDevices: [] });
    const { application } = await call<GetApplicationResponse>((done) => apps.getApplication({ name: 'solo' }, done));
    expect(application?.deployedRevision).toBe(1);
    expect(application?.revisions[0].rollout).toMatchObject({ waves: [{ index: 0, devices: ['dev-a'] }], counts: { pending: 1, running: 0 } });
  });

  it('deploys with a strategy for this rollout only, and refuses a bad one with the field named', async () => {
    const apps = client(ApplicationServiceClient, 'operator');
    const names = ['dev-a', 'dev-dup', 'dev-occ', 'dev-retry'];
    await call((done) =>
      apps.createApplication(
        CreateApplicationRequest.fromPartial({ name: 'paced', spec: publisher.spec({ name: 'paced', revision: 1, module: hello, targets: { $case: 'deviceNames', value: { names } } }) }),
        done,
      ),
    );
    const bad = await failure(
      call((done) =>
        apps.deployApplication({ commandId: '', expectedVersion: 0, name: 'paced', revision: 0, strategy: { canary: 0, batch: { $case: 'batchPercent', value: 150 }, healthGateSeconds: 0, failureThreshold: 0 } }, done),
      ),
    );
    expect(bad.codeName).toBe('INVALID_ARGUMENT');
    expect(bad.details).toContain('strategy.batch');

    const both = await failure(
      call((done) =>
        apps.deployApplication({ commandId: '', expectedVersion: 0, name: 'paced', revision: 0, strategy: { canary: 0, batch: undefined, healthGateSeconds: 0, failureThreshold: 1, failureThresholdPercent: 10 } }, done),
      ),
    );
    expect(both.codeName).toBe('INVALID_ARGUMENT');
    expect(both.details).toContain('must be 0 when failureThresholdPercent is set');

    const strategy = { canary: 1, batch: { $case: 'batchCount' as const, value: 2 }, healthGateSeconds: 30, failureThreshold: 0, failureThresholdPercent: 50 };
    await call((done) => apps.deployApplication({ commandId: '', expectedVersion: 0, name: 'paced', revision: 0, strategy }, done));
    const { application } = await call<GetApplicationResponse>((done) => apps.getApplication({ name: 'paced' }, done));
    expect(application?.revisions[0].rollout?.waves.map((w) => w.devices)).toEqual([['dev-a'], ['dev-dup', 'dev-occ'], ['dev-retry']]);
    expect(application?.revisions[0].rollout?.strategy).toEqual(strategy);
    // The revision keeps its own strategy (all at once).
    expect(application?.revisions[0].spec?.strategy?.canary ?? 0).toBe(0);
  });
});

describe('health and reflection', () => {
  it('reports SERVING and lists the wasmbed services', async () => {
    expect(await healthStatus(address, '')).toBe('SERVING');
    expect(await healthStatus(address, 'wasmbed.v1.DeviceService')).toBe('SERVING');
    expect(await reflectedServices(address)).toEqual([
      'grpc.health.v1.Health',
      'wasmbed.v1.AdminService',
      'wasmbed.v1.ApplicationService',
      'wasmbed.v1.DeviceService',
      'wasmbed.v1.GatewayService',
    ]);
  });
});

describe('HTTP face', () => {
  it('serves the read models to a viewer token only', async () => {
    const denied = await getJson<{ error: { code: string; message: string } }>(`${httpBase}/api/v1/devices`);
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('unauthenticated');

    const list = await getJson<{ devices: { name: string }[] }>(`${httpBase}/api/v1/devices?label_selector=env%3Dlab&phase=pending`, TOKENS.viewer);
    expect(list.status).toBe(200);
    expect(list.body.devices.map((d) => d.name)).toContain('dev-a');

    const one = await getJson<{ device: { name: string; phase: string } }>(`${httpBase}/api/v1/devices/dev-a`, TOKENS.viewer);
    expect(one.body.device).toMatchObject({ name: 'dev-a', phase: 'DEVICE_PHASE_PENDING' });

    const missing = await getJson<{ error: { code: string } }>(`${httpBase}/api/v1/gateways/nope`, TOKENS.viewer);
    expect(missing).toEqual({ status: 404, body: { error: { code: 'not_found', message: "gateway 'nope' not found" } } });

    const badPhase = await getJson<{ error: { code: string; message: string } }>(`${httpBase}/api/v1/applications?phase=sideways`, TOKENS.viewer);
    expect(badPhase.status).toBe(400);
    expect(badPhase.body.error.message).toContain("'sideways' is not one of");
  });

  it('answers probes and metrics without credentials', async () => {
    expect(await getJson(`${httpBase}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await getJson<{ status: string }>(`${httpBase}/readyz`);
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
    const metrics = await getText(`${httpBase}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('wasmbed_projection_lag_events');
    expect(metrics.body).toContain('wasmbed_projection_lag_seconds');
  });

  it('streams read-model changes as server-sent events', async () => {
    const stream = await SseClient.open(`${httpBase}/api/v1/events`, TOKENS.viewer);
    try {
      expect(stream.response.headers['content-type']).toContain('text/event-stream');
      // The current state first...
      await stream.next((e) => e.event === 'device' && (e.data as DeviceChangeJson).device.name === 'dev-a');
      // ...then what happens after the stream opened.
      const devices = client(DeviceServiceClient, 'operator');
      const { version } = await call<RegisterDeviceResponse>((done) => devices.registerDevice(register('dev-sse'), done));
      const event = await stream.next((e) => e.event === 'device' && (e.data as DeviceChangeJson).device.name === 'dev-sse');
      expect(event.id).toBe(String(version));
      expect(event.data).toMatchObject({ kind: 'CHANGE_KIND_ADDED', position: version });
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(stream.comments).toBeGreaterThan(1);
    } finally {
      stream.close();
    }
  });
});

describe('correlation', () => {
  it('records the caller and the x-correlation-id on the events', async () => {
    const devices = client(DeviceServiceClient, 'operator');
    const metadata = new Metadata();
    metadata.set('x-correlation-id', 'corr-42');
    await call((done) => devices.registerDevice(register('dev-corr', { commandId: 'cmd-corr' }), metadata, done));
    const { events } = await fixture().eventStore.readStream({ aggregateType: 'device', aggregateId: 'dev-corr' });
    expect(events[0].metadata).toMatchObject({ correlationId: 'corr-42', causationId: 'cmd-corr', actor: 'operator-it' });
  });
});

describe('another instance on the same logs', () => {
  it('rebuilds its read models by replay, and stops gracefully with streams open', async () => {
    const second = await startApi(apiConfig(fixture().nats.url, { tokens: [{ subject: 'v', role: 'viewer', tokenSha256: hashToken(TOKENS.viewer) }] }), {
      logger: createLogger('error', () => undefined),
    });
    const secondAddress = `127.0.0.1:${second.grpcPort}`;
    const devices = createClient(DeviceServiceClient, secondAddress, { token: TOKENS.viewer });
    try {
      for (let i = 0; (await healthStatus(secondAddress, '')) !== 'SERVING'; i += 1) {
        if (i > 40) throw new Error('second instance never became SERVING');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const { device } = await call<GetDeviceResponse>((done) => devices.getDevice({ name: 'dev-a' }, done));
      expect(device?.name).toBe('dev-a');

      const watch = devices.watchDevices({ labelSelector: '', phase: 0 });
      await collect(watch, 1);
      const watchEnded = new Promise<string>((resolve) => watch.on('error', (err: { code: number }) => resolve(String(err.code))));
      const sse = await SseClient.open(`http://127.0.0.1:${second.httpPort}/api/v1/events`, TOKENS.viewer);
      const sseEnded = new Promise<void>((resolve) => sse.response.on('close', () => resolve()));

      const started = Date.now();
      await second.stop();
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(await watchEnded).toBe(String(14 /* UNAVAILABLE */));
      await sseEnded;
    } finally {
      devices.close();
      await second.stop();
    }
  });
});

interface DeviceChangeJson {
  device: { name: string };
}
