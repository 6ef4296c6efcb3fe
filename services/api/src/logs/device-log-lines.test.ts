import { validateRequest } from '@wasmbed/grpc-kit';
import { LogLevel, StreamDeviceLogsRequest } from '@wasmbed/proto';
import { streamDeviceLogsSchema, toLogLine } from './device-log-lines';

describe('device log lines', () => {
  it('maps a bus log message to the API line: level enum, both clocks, gateway', () => {
    expect(
      toLogLine({ deviceId: 'd1', gatewayId: 'gw-1', sessionId: 's', at: '2025-03-01T12:00:00.000Z', appId: 'blinky', level: 'warn', message: 'hot', deviceTimeMs: 5_000 }),
    ).toEqual({
      deviceName: 'd1',
      application: 'blinky',
      level: LogLevel.LOG_LEVEL_WARN,
      message: 'hot',
      deviceTime: new Date(5_000),
      receivedAt: new Date('2025-03-01T12:00:00.000Z'),
      gateway: 'gw-1',
    });
  });

  it('checks the request: device name or empty, a bounded tail', async () => {
    const request = (r: Partial<StreamDeviceLogsRequest>) => StreamDeviceLogsRequest.fromPartial(r);
    await expect(validateRequest(streamDeviceLogsSchema, request({ tail: 10_000 }))).resolves.toMatchObject({ tail: 10_000 });
    await expect(validateRequest(streamDeviceLogsSchema, request({ deviceName: 'd-1', application: 'App.v2' }))).resolves.toMatchObject({ deviceName: 'd-1' });
    await expect(validateRequest(streamDeviceLogsSchema, request({ tail: 10_001 }))).rejects.toThrow('tail: must be at most 10000');
    await expect(validateRequest(streamDeviceLogsSchema, request({ deviceName: 'D 1' }))).rejects.toThrow('deviceName:');
    await expect(validateRequest(streamDeviceLogsSchema, request({ application: 'a'.repeat(65) }))).rejects.toThrow('application: must be at most 64 characters');
  });
});
