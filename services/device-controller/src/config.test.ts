import { ConfigError } from '@wasmbed/errors';
import { loadDeviceControllerConfig, unreachableAfterMs } from './config';

describe('loadDeviceControllerConfig', () => {
  it('has safe defaults: 30 s heartbeats, 24 h enrollment TTL, auto-approval off, moves retried after 30 s, 100 per pass', () => {
    expect(loadDeviceControllerConfig({})).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
      http: { host: '127.0.0.1', port: 8092 },
      heartbeatIntervalMs: 30_000,
      missedHeartbeats: 3,
      reconcileMs: 1_000,
      enrollmentTtlMs: 86_400_000,
      autoApproveBoards: [],
      moveRetryMs: 30_000,
      movesPerPass: 100,
      logLevel: 'info',
      jetStreamReplicas: 1,
    });
  });

  it('reads every variable', () => {
    const config = loadDeviceControllerConfig({
      WASMBED_NATS_URL: 'nats://nats:4222',
      WASMBED_DEVICE_CONTROLLER_HTTP_ADDR: '0.0.0.0:9000',
      WASMBED_HEARTBEAT_INTERVAL_MS: '5000',
      WASMBED_MISSED_HEARTBEATS: '5',
      WASMBED_DEVICE_CONTROLLER_RECONCILE_MS: '250',
      WASMBED_ENROLLMENT_TTL_MS: '0',
      WASMBED_DEVICE_AUTO_APPROVE_BOARDS: ' stm32f4, nrf52840dk,,stm32f4 ',
      WASMBED_DEVICE_MOVE_RETRY_MS: '2000',
      WASMBED_DEVICE_MOVES_PER_PASS: '20',
      WASMBED_LOG_LEVEL: 'debug',
      WASMBED_JETSTREAM_REPLICAS: '3',
    });
    expect(config).toEqual({
      natsUrl: 'nats://nats:4222',
      http: { host: '0.0.0.0', port: 9000 },
      heartbeatIntervalMs: 5_000,
      missedHeartbeats: 5,
      reconcileMs: 250,
      enrollmentTtlMs: null,
      autoApproveBoards: ['nrf52840dk', 'stm32f4'],
      moveRetryMs: 2_000,
      movesPerPass: 20,
      logLevel: 'debug',
      jetStreamReplicas: 3,
    });
  });

  it('lists every problem by variable', () => {
    let error: unknown;
    try {
      loadDeviceControllerConfig({
        WASMBED_DEVICE_CONTROLLER_HTTP_ADDR: 'nowhere',
        WASMBED_HEARTBEAT_INTERVAL_MS: '10',
        WASMBED_ENROLLMENT_TTL_MS: '1000',
        WASMBED_DEVICE_AUTO_APPROVE_BOARDS: 'nrf 52',
        WASMBED_DEVICE_MOVE_RETRY_MS: '50',
        WASMBED_DEVICE_MOVES_PER_PASS: '0',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const variable of ['WASMBED_DEVICE_CONTROLLER_HTTP_ADDR', 'WASMBED_HEARTBEAT_INTERVAL_MS', 'WASMBED_ENROLLMENT_TTL_MS', 'WASMBED_DEVICE_AUTO_APPROVE_BOARDS', 'WASMBED_DEVICE_MOVE_RETRY_MS', 'WASMBED_DEVICE_MOVES_PER_PASS']) {
      expect(message).toContain(variable);
    }
    expect(message).toContain('0 (never expire) or at least 60000');
  });
});

describe('unreachableAfterMs', () => {
  it('is the gateway deadline plus one interval of flush margin', () => {
    expect(unreachableAfterMs({ heartbeatIntervalMs: 30_000, missedHeartbeats: 3 })).toBe(120_000);
    expect(unreachableAfterMs({ heartbeatIntervalMs: 200, missedHeartbeats: 3 })).toBe(800);
  });
});
