import { jetstreamManager } from '@nats-io/jetstream';
import { DEVICE_LOG_STREAM, deviceLogSubject, encodeDeviceLog, type DeviceLogMessage } from '@wasmbed/device-bus';
import { DeviceServiceClient, LogLevel, RegisterDeviceRequest, type DeviceLogLine } from '@wasmbed/proto';
import { TOKENS, withApi } from './test-support/api-fixture';
import { call, collect, failure, readAll } from './test-support/grpc-clients';
import { getJson, SseClient } from './test-support/http-client';

const fixture = withApi();
let published = 0;

const AT = '2025-03-01T12:00:00.000Z';
function line(deviceId: string, appId: string, message: string, level: DeviceLogMessage['level'] = 'info'): DeviceLogMessage {
  return { deviceId, gatewayId: 'gw-7', sessionId: 'sess-1', at: AT, appId, level, message, deviceTimeMs: 1_000 };
}

/** Publishes as a gateway does (core NATS), then waits until the api's log stream stored them. */
async function publish(...lines: DeviceLogMessage[]): Promise<void> {
  const { nc } = fixture();
  for (const l of lines) nc.publish(deviceLogSubject(l.deviceId), encodeDeviceLog(l));
  published += lines.length;
  const jsm = await jetstreamManager(nc);
  for (let i = 0; (await jsm.streams.info(DEVICE_LOG_STREAM)).state.messages < published; i += 1) {
    if (i > 200) throw new Error('the log stream never stored the lines');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let devices: DeviceServiceClient;
beforeAll(async () => {
  const operator = fixture().client(DeviceServiceClient, 'operator');
  for (const name of ['log-a', 'log-b']) {
    await call((done) => operator.registerDevice(RegisterDeviceRequest.fromPartial({ name, publicKey: Buffer.alloc(32, name.length), board: 'b', architecture: 'a' }), done));
  }
  devices = fixture().client(DeviceServiceClient, 'viewer');
  await publish(line('log-a', 'app-1', 'a1'), line('log-b', 'app-1', 'b1'), line('log-a', 'app-2', 'a2', 'warn'), line('log-a', 'app-1', 'a3', 'error'));
});

const request = (overrides: Partial<{ deviceName: string; application: string; tail: number; follow: boolean }>) => ({
  deviceName: '',
  application: '',
  tail: 0,
  follow: false,
  ...overrides,
});

describe('StreamDeviceLogs', () => {
  it('sends the newest stored lines of a device, oldest first, then ends', async () => {
    const lines = await readAll<DeviceLogLine>(devices.streamDeviceLogs(request({ deviceName: 'log-a', tail: 2 })));
    expect(lines).toEqual([
      { deviceName: 'log-a', application: 'app-2', level: LogLevel.LOG_LEVEL_WARN, message: 'a2', deviceTime: new Date(1_000), receivedAt: new Date(AT), gateway: 'gw-7' },
      { deviceName: 'log-a', application: 'app-1', level: LogLevel.LOG_LEVEL_ERROR, message: 'a3', deviceTime: new Date(1_000), receivedAt: new Date(AT), gateway: 'gw-7' },
    ]);
  });

  it('filters by application, over every device when none is named', async () => {
    const lines = await readAll<DeviceLogLine>(devices.streamDeviceLogs(request({ application: 'app-1', tail: 10 })));
    expect(lines.map((l) => `${l.deviceName}:${l.message}`)).toEqual(['log-a:a1', 'log-b:b1', 'log-a:a3']);
  });

  it('follows: the tail, then new lines as the gateway publishes them, until cancelled', async () => {
    const stream = devices.streamDeviceLogs(request({ deviceName: 'log-b', tail: 1, follow: true }));
    const three = collect(stream, 3);
    expect((await collect(stream, 1))[0].message).toBe('b1');
    await publish(line('log-b', 'app-1', 'b2'), line('log-a', 'app-1', 'not-b'), line('log-b', 'app-3', 'b3'));
    expect((await three).map((l) => l.message)).toEqual(['b1', 'b2', 'b3']);
    stream.cancel();
  });

  it('answers NOT_FOUND for an unknown device and INVALID_ARGUMENT for a tail over 10000', async () => {
    const missing = await failure(readAll(devices.streamDeviceLogs(request({ deviceName: 'ghost', tail: 1 }))));
    expect(missing.codeName).toBe('NOT_FOUND');
    expect(missing.details).toBe("device 'ghost' not found");
    const tooMany = await failure(readAll(devices.streamDeviceLogs(request({ tail: 10_001 }))));
    expect(tooMany.codeName).toBe('INVALID_ARGUMENT');
    expect(tooMany.details).toContain('tail: must be at most 10000');
    const anonymous = fixture().client(DeviceServiceClient);
    expect((await failure(readAll(anonymous.streamDeviceLogs(request({ tail: 1 }))))).codeName).toBe('UNAUTHENTICATED');
  });
});

describe('GET /api/v1/devices/{name}/logs', () => {
  const url = (query: string, name = 'log-a') => `${fixture().httpBase}/api/v1/devices/${name}/logs${query}`;

  it('answers the tail as JSON (protobuf JSON mapping)', async () => {
    const res = await getJson<{ lines: unknown[] }>(url('?tail=1&application=app-2'), TOKENS.viewer);
    expect(res).toEqual({
      status: 200,
      body: {
        lines: [
          { deviceName: 'log-a', application: 'app-2', level: 'LOG_LEVEL_WARN', message: 'a2', deviceTime: '1970-01-01T00:00:01.000Z', receivedAt: AT, gateway: 'gw-7' },
        ],
      },
    });
    // No tail parameter: the newest 100 lines.
    expect((await getJson<{ lines: unknown[] }>(url(''), TOKENS.viewer)).body.lines.length).toBeGreaterThanOrEqual(3);
  });

  it('streams server-sent events with follow=true', async () => {
    const stream = await SseClient.open(url('?tail=1&follow=true', 'log-b'), TOKENS.viewer);
    try {
      expect(stream.response.headers['content-type']).toContain('text/event-stream');
      await stream.next((e) => e.event === 'log');
      await publish(line('log-b', 'app-1', 'live-over-http'));
      const live = await stream.next((e) => (e.data as { message: string }).message === 'live-over-http');
      expect(live.data).toMatchObject({ deviceName: 'log-b', application: 'app-1', level: 'LOG_LEVEL_INFO' });
    } finally {
      stream.close();
    }
  });

  it('answers 404 for an unknown device, 400 for bad parameters, 401 without a token', async () => {
    expect(await getJson(url('?follow=true', 'ghost'), TOKENS.viewer)).toEqual({ status: 404, body: { error: { code: 'not_found', message: "device 'ghost' not found" } } });
    const badFollow = await getJson<{ error: { message: string } }>(url('?follow=yes'), TOKENS.viewer);
    expect(badFollow).toMatchObject({ status: 400, body: { error: { message: "invalid follow: must be 'true' or 'false'" } } });
    expect((await getJson(url('?tail=20000'), TOKENS.viewer)).status).toBe(400);
    expect((await getJson(url(''))).status).toBe(401);
  });
});
