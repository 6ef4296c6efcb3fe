import { loadExampleApp } from '@wasmbed/example-apps';
import { ApplicationServiceClient, CreateApplicationRequest, DeviceServiceClient, GatewayServiceClient, type GetDeviceResponse } from '@wasmbed/proto';
import { eventually } from '@wasmbed/testing';
import { TOKENS, withApi } from './test-support/api-fixture';
import { enrollDevice, requestPairing } from './test-support/fleet';
import { call } from './test-support/grpc-clients';
import { getJson, getText, sendJson } from './test-support/http-client';
import { Publisher } from './test-support/publisher';

const fixture = withApi();
const url = (path: string) => `${fixture().httpBase}${path}`;

interface PairingStatus {
  gateways: { gateway: string; enabled: boolean; until?: string }[];
}

async function phaseOf(name: string): Promise<string | undefined> {
  const { status, body } = await getJson<{ device?: { phase: string } }>(url(`/api/v1/devices/${name}`), TOKENS.viewer);
  return status === 200 ? body.device?.phase : undefined;
}

beforeAll(async () => {
  const gateways = fixture().client(GatewayServiceClient, 'admin');
  for (const name of ['hw-gw-1', 'hw-gw-2']) {
    await call((done) =>
      gateways.registerGateway({ commandId: '', expectedVersion: 0, name, endpoint: `${name}:4423`, region: 'eu', capacity: 5, heartbeatIntervalSeconds: 0, enrollmentTimeoutSeconds: 0 }, done),
    );
  }
  for (const name of ['wait-1', 'wait-2', 'wait-3']) await requestPairing(fixture().eventStore, name);
  await eventually('devices waiting for approval', async () => ((await phaseOf('wait-3')) === 'DEVICE_PHASE_ENROLLING' ? true : undefined), 5_000);
});

describe('pairing over HTTP', () => {
  it('reads pairing mode per gateway (viewer) and switches it on one or all gateways (operator)', async () => {
    expect(await getJson<PairingStatus>(url('/api/v1/pairing'), TOKENS.viewer)).toEqual({
      status: 200,
      body: { gateways: [{ gateway: 'hw-gw-1', enabled: false }, { gateway: 'hw-gw-2', enabled: false }] },
    });

    const one = await sendJson<{ results: { gateway: string; enabled: boolean; until: string; version: number }[] }>('POST', url('/api/v1/pairing'), {
      token: TOKENS.operator,
      body: { enabled: true, durationSeconds: 120, gateway: 'hw-gw-2' },
      headers: { 'x-correlation-id': 'http-pairing-1' },
    });
    expect(one.status).toBe(200);
    expect(one.body.results).toHaveLength(1);
    expect(one.body.results[0]).toMatchObject({ gateway: 'hw-gw-2', enabled: true });
    expect(Date.parse(one.body.results[0].until) - Date.now()).toBeGreaterThan(100_000);
    const status = await getJson<PairingStatus>(url('/api/v1/pairing'), TOKENS.viewer);
    expect(status.body.gateways).toEqual([{ gateway: 'hw-gw-1', enabled: false }, { gateway: 'hw-gw-2', enabled: true, until: one.body.results[0].until }]);
    // The same command path as gRPC: the event carries the caller and the correlation id.
    const { events } = await fixture().eventStore.readStream({ aggregateType: 'gateway', aggregateId: 'hw-gw-2' });
    expect(events.at(-1)?.metadata).toMatchObject({ actor: 'operator-it', correlationId: 'http-pairing-1' });

    const all = await sendJson<{ results: { gateway: string; enabled: boolean }[] }>('POST', url('/api/v1/pairing'), { token: TOKENS.operator, body: { enabled: false } });
    expect(all.body.results.map((r) => [r.gateway, r.enabled])).toEqual([
      ['hw-gw-1', false],
      ['hw-gw-2', false],
    ]);
  });

  it('needs the operator role to write, and a well-typed body', async () => {
    const asViewer = await sendJson<{ error: { code: string } }>('POST', url('/api/v1/pairing'), { token: TOKENS.viewer, body: { enabled: true } });
    expect(asViewer.status).toBe(403);
    expect(asViewer.body.error.code).toBe('permission_denied');
    expect((await sendJson('POST', url('/api/v1/pairing'), { body: { enabled: true } })).status).toBe(401);

    const stringly = await sendJson<{ error: { message: string } }>('POST', url('/api/v1/pairing'), { token: TOKENS.operator, body: { enabled: 'false' } });
    expect(stringly.status).toBe(400);
    expect(stringly.body.error.message).toContain('enabled:');
    const unknown = await sendJson<{ error: { message: string } }>('POST', url('/api/v1/pairing'), { token: TOKENS.operator, body: { enabled: true, gatewy: 'x' } });
    expect(unknown.status).toBe(400);
    const tooLong = await sendJson<{ error: { message: string } }>('POST', url('/api/v1/pairing'), { token: TOKENS.operator, body: { enabled: true, durationSeconds: 7200 } });
    expect(tooLong.body.error.message).toContain('durationSeconds: must be at most 3600');
    const notJson = await sendJson<{ error: { message: string } }>('POST', url('/api/v1/pairing'), { token: TOKENS.operator, body: '{enabled' });
    expect(notJson).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^request body is not valid JSON/) } } });
    const missing = await sendJson<{ error: { code: string } }>('POST', url('/api/v1/pairing'), { token: TOKENS.operator, body: { enabled: true, gateway: 'nope' } });
    expect(missing.status).toBe(404);
  });
});

describe('device approval over HTTP', () => {
  it('approves, rejects and revokes devices (operator), as the gRPC commands do', async () => {
    const approved = await sendJson<{ version: number }>('POST', url('/api/v1/devices/wait-1/approve'), { token: TOKENS.operator });
    expect(approved.status).toBe(200);
    expect(approved.body.version).toBeGreaterThan(0);
    expect(await phaseOf('wait-1')).toBe('DEVICE_PHASE_ENROLLED');

    const rejected = await sendJson('POST', url('/api/v1/devices/wait-2/reject'), { token: TOKENS.operator, body: { reason: 'unknown hardware' } });
    expect(rejected.status).toBe(200);
    const devices = fixture().client(DeviceServiceClient, 'viewer');
    const { device } = await call<GetDeviceResponse>((done) => devices.getDevice({ name: 'wait-2' }, done));
    expect(device).toMatchObject({ revocationReason: 'unknown hardware' });

    expect((await sendJson('POST', url('/api/v1/devices/wait-1/revoke'), { token: TOKENS.operator, body: { reason: 'lost' } })).status).toBe(200);
    expect(await phaseOf('wait-1')).toBe('DEVICE_PHASE_REVOKED');
  });

  it('answers with the gRPC errors: reason required, wrong phase, unknown device, role', async () => {
    const noReason = await sendJson<{ error: { code: string; message: string } }>('POST', url('/api/v1/devices/wait-3/revoke'), { token: TOKENS.operator, body: { reason: ' ' } });
    expect(noReason).toMatchObject({ status: 400, body: { error: { code: 'invalid_argument', message: expect.stringContaining('reason: must not be empty') } } });
    const twice = await sendJson<{ error: { code: string } }>('POST', url('/api/v1/devices/wait-1/approve'), { token: TOKENS.operator });
    expect(twice).toMatchObject({ status: 400, body: { error: { code: 'failed_precondition' } } });
    expect((await sendJson('POST', url('/api/v1/devices/ghost/approve'), { token: TOKENS.operator })).status).toBe(404);
    expect((await sendJson('POST', url('/api/v1/devices/wait-3/approve'), { token: TOKENS.viewer })).status).toBe(403);
  });
});

interface RolloutView {
  application?: { deployedRevision: number; revisions: { revision: number; rollout?: { phase: string; message?: string } }[] };
}

async function rolloutOf(name: string): Promise<{ phase: string; message?: string } | undefined> {
  const { body } = await getJson<RolloutView>(url(`/api/v1/applications/${name}`), TOKENS.viewer);
  return body.application?.revisions.at(-1)?.rollout;
}

describe('application rollouts over HTTP', () => {
  beforeAll(async () => {
    await enrollDevice(fixture().eventStore, 'roll-1', { fleet: 'http' });
    const spec = Publisher.generate().spec({ name: 'http-app', revision: 1, module: loadExampleApp('hello'), targets: { $case: 'deviceNames', value: { names: ['roll-1'] } } });
    await call((done) => fixture().client(ApplicationServiceClient, 'operator').createApplication(CreateApplicationRequest.fromPartial({ name: 'http-app', spec }), done));
  });

  it('deploys, pauses, resumes and stops (operator), as the gRPC commands do', async () => {
    const deployed = await sendJson<{ version: number; revision: number; excludedDevices: unknown[] }>('POST', url('/api/v1/applications/http-app/deploy'), {
      token: TOKENS.operator,
      headers: { 'x-correlation-id': 'http-deploy-1' },
    });
    expect(deployed).toMatchObject({ status: 200, body: { revision: 1, excludedDevices: [] } });
    expect(deployed.body.version).toBeGreaterThan(1);
    await eventually('rollout in progress', async () => ((await rolloutOf('http-app'))?.phase === 'ROLLOUT_PHASE_IN_PROGRESS' ? true : undefined), 5_000);

    const paused = await sendJson<{ version: number }>('POST', url('/api/v1/applications/http-app/pause'), { token: TOKENS.operator, body: { reason: 'night freeze' } });
    expect(paused.status).toBe(200);
    expect(paused.body.version).toBe(deployed.body.version + 1);
    await eventually('rollout paused', async () => ((await rolloutOf('http-app'))?.phase === 'ROLLOUT_PHASE_PAUSED' ? true : undefined), 5_000);
    const { events } = await fixture().eventStore.readStream({ aggregateType: 'application', aggregateId: 'http-app' });
    expect(events.find((e) => e.type === 'RolloutStarted')?.metadata).toMatchObject({ actor: 'operator-it', correlationId: 'http-deploy-1' });
    expect(events.at(-1)).toMatchObject({ type: 'RolloutPaused', data: { reason: 'night freeze' } });

    expect((await sendJson('POST', url('/api/v1/applications/http-app/resume'), { token: TOKENS.operator })).status).toBe(200);
    await eventually('rollout resumed', async () => ((await rolloutOf('http-app'))?.phase === 'ROLLOUT_PHASE_IN_PROGRESS' ? true : undefined), 5_000);
    expect((await sendJson('POST', url('/api/v1/applications/http-app/stop'), { token: TOKENS.operator, body: { commandId: 'http-stop-1' } })).status).toBe(200);
    // The same command id again is the same command: answered, nothing new written.
    const before = (await fixture().eventStore.readStream({ aggregateType: 'application', aggregateId: 'http-app' })).events.length;
    expect((await sendJson('POST', url('/api/v1/applications/http-app/stop'), { token: TOKENS.operator, body: { commandId: 'http-stop-1' } })).status).toBe(200);
    expect((await fixture().eventStore.readStream({ aggregateType: 'application', aggregateId: 'http-app' })).events).toHaveLength(before);
  });

  it('answers with the gRPC errors: no good revision to roll back to, bad bodies, unknown application, role', async () => {
    const rollback = await sendJson<{ error: { code: string; message: string } }>('POST', url('/api/v1/applications/http-app/rollback'), {
      token: TOKENS.operator,
      body: { reason: 'bad canary' },
    });
    expect(rollback).toMatchObject({ status: 400, body: { error: { code: 'failed_precondition' } } });
    const noReason = await sendJson<{ error: { message: string } }>('POST', url('/api/v1/applications/http-app/rollback'), { token: TOKENS.operator, body: {} });
    expect(noReason).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('reason') } } });
    const badRevision = await sendJson<{ error: { message: string } }>('POST', url('/api/v1/applications/http-app/deploy'), { token: TOKENS.operator, body: { revision: 'latest' } });
    expect(badRevision).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('revision') } } });
    const unknownField = await sendJson('POST', url('/api/v1/applications/http-app/pause'), { token: TOKENS.operator, body: { resaon: 'typo' } });
    expect(unknownField.status).toBe(400);
    expect((await sendJson('POST', url('/api/v1/applications/ghost/stop'), { token: TOKENS.operator })).status).toBe(404);
    expect((await sendJson('POST', url('/api/v1/applications/http-app/deploy'), { token: TOKENS.viewer })).status).toBe(403);
    expect((await sendJson('POST', url('/api/v1/applications/http-app/deploy'), {})).status).toBe(401);
  });
});

describe('routes', () => {
  it('serves the OpenAPI description without a token', async () => {
    const spec = await getText(url('/api/v1/openapi.yaml'));
    expect(spec.status).toBe(200);
    expect(spec.contentType).toContain('application/yaml');
    expect(spec.body).toMatch(/^openapi: 3\.1/);
  });

  it('answers 405 with the allowed methods, and 404 for unknown paths', async () => {
    const wrong = await sendJson<{ error: { code: string } }>('DELETE', url('/api/v1/pairing'), { token: TOKENS.admin });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, POST');
    expect((await getJson(url('/api/v1/nothing'), TOKENS.viewer)).status).toBe(404);
  });
});
