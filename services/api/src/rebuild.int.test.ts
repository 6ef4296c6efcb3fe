import { loadExampleApp } from '@wasmbed/example-apps';
import {
  AdminServiceClient,
  ApplicationServiceClient,
  ChangeKind,
  CreateApplicationRequest,
  DeviceServiceClient,
  GatewayServiceClient,
  RegisterDeviceRequest,
  type DeviceChange,
  type GetDeviceResponse,
  type RebuildReadModelsResponse,
} from '@wasmbed/proto';
import { TOKENS, withApi } from './test-support/api-fixture';
import { call, collect, failure } from './test-support/grpc-clients';
import { sendJson } from './test-support/http-client';
import { Publisher } from './test-support/publisher';

const fixture = withApi();

const register = (name: string) => RegisterDeviceRequest.fromPartial({ name, publicKey: Buffer.alloc(32, 9), board: 'b', architecture: 'a', labels: { rebuild: 'yes' } });

async function eventsInLogs(): Promise<number> {
  let events = 0;
  for (const context of ['fleet', 'apps']) for await (const _event of fixture().eventStore.readAll({ context })) events += 1;
  return events;
}

beforeAll(async () => {
  const devices = fixture().client(DeviceServiceClient, 'operator');
  for (const name of ['rb-1', 'rb-2', 'rb-3']) await call((done) => devices.registerDevice(register(name), done));
  const gateways = fixture().client(GatewayServiceClient, 'admin');
  for (const name of ['rb-gw-1', 'rb-gw-2']) {
    await call((done) =>
      gateways.registerGateway({ commandId: '', expectedVersion: 0, name, endpoint: `${name}:4423`, region: 'eu', capacity: 5, heartbeatIntervalSeconds: 0, enrollmentTimeoutSeconds: 0 }, done),
    );
  }
  const spec = Publisher.generate().spec({ name: 'rb-app', revision: 1, module: loadExampleApp('counter'), targets: { $case: 'allDevices', value: true } });
  const apps = fixture().client(ApplicationServiceClient, 'operator');
  await call((done) => apps.createApplication(CreateApplicationRequest.fromPartial({ name: 'rb-app', spec }), done));
});

describe('AdminService.RebuildReadModels', () => {
  it('replays both logs and answers the counts; the read models serve the same state after it', async () => {
    const admin = fixture().client(AdminServiceClient, 'admin');
    const result = await call<RebuildReadModelsResponse>((done) => admin.rebuildReadModels({}, done));
    expect(result).toMatchObject({ devices: 3, gateways: 2, applications: 1, eventsReplayed: await eventsInLogs() });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const viewer = fixture().client(DeviceServiceClient, 'viewer');
    const { device } = await call<GetDeviceResponse>((done) => viewer.getDevice({ name: 'rb-2' }, done));
    expect(device?.labels).toEqual({ rebuild: 'yes' });
  });

  it('keeps a watch open across a rebuild, without repeating what it already sent', async () => {
    const watch = fixture().client(DeviceServiceClient, 'viewer').watchDevices({ labelSelector: 'rebuild=yes', phase: 0 });
    const changes = collect<DeviceChange>(watch, 4);
    await collect(watch, 3);
    await call((done) => fixture().client(AdminServiceClient, 'admin').rebuildReadModels({}, done));
    await call((done) => fixture().client(DeviceServiceClient, 'operator').registerDevice(register('rb-4'), done));
    const [, , , fourth] = await changes;
    expect(fourth).toMatchObject({ kind: ChangeKind.CHANGE_KIND_ADDED, device: { name: 'rb-4' } });
    watch.cancel();
  });

  it('is for admins only', async () => {
    const operator = fixture().client(AdminServiceClient, 'operator');
    const denied = await failure(call((done) => operator.rebuildReadModels({}, done)));
    expect(denied.codeName).toBe('PERMISSION_DENIED');
  });

  it('is also POST /api/v1/admin/rebuild-read-models (admin token)', async () => {
    const url = `${fixture().httpBase}/api/v1/admin/rebuild-read-models`;
    const rebuilt = await sendJson<Record<string, number>>('POST', url, { token: TOKENS.admin });
    expect(rebuilt).toMatchObject({ status: 200, body: { devices: 4, gateways: 2, applications: 1, eventsReplayed: await eventsInLogs() } });
    expect((await sendJson('POST', url, { token: TOKENS.operator })).status).toBe(403);
    expect((await sendJson('POST', url, { token: TOKENS.admin, body: { everything: true } })).status).toBe(400);
  });
});
