import { ConfigError } from '@wasmbed/errors';
import { loadAppControllerConfig } from './config';
import { DEFAULT_PLANNER_SETTINGS, retryDelayMs } from './planner/settings';

describe('app-controller configuration', () => {
  it('applies the documented defaults', () => {
    expect(loadAppControllerConfig({})).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
      http: { host: '127.0.0.1', port: 8091 },
      reconcileMs: 1_000,
      commandTimeoutMs: 10_000,
      planner: DEFAULT_PLANNER_SETTINGS,
      logLevel: 'info',
      jetStreamReplicas: 1,
    });
    expect(DEFAULT_PLANNER_SETTINGS).toEqual({ deployTimeoutMs: 120_000, deleteTimeoutMs: 120_000, retry: { initialMs: 2_000, maxMs: 60_000 }, driftGraceMs: 2_000 });
  });

  it('reads every variable', () => {
    const config = loadAppControllerConfig({
      WASMBED_NATS_URL: 'nats://nats:4222',
      WASMBED_APP_CONTROLLER_HTTP_ADDR: '0.0.0.0:9091',
      WASMBED_APP_CONTROLLER_DEPLOY_TIMEOUT_MS: '30000',
      WASMBED_APP_CONTROLLER_DELETE_TIMEOUT_MS: '45000',
      WASMBED_APP_CONTROLLER_RECONCILE_MS: '250',
      WASMBED_APP_CONTROLLER_RETRY_INITIAL_MS: '500',
      WASMBED_APP_CONTROLLER_RETRY_MAX_MS: '8000',
      WASMBED_APP_CONTROLLER_DRIFT_GRACE_MS: '0',
      WASMBED_APP_CONTROLLER_COMMAND_TIMEOUT_MS: '3000',
      WASMBED_LOG_LEVEL: 'debug',
      WASMBED_JETSTREAM_REPLICAS: '3',
    });
    expect(config).toEqual({
      natsUrl: 'nats://nats:4222',
      http: { host: '0.0.0.0', port: 9091 },
      reconcileMs: 250,
      commandTimeoutMs: 3_000,
      planner: { deployTimeoutMs: 30_000, deleteTimeoutMs: 45_000, retry: { initialMs: 500, maxMs: 8_000 }, driftGraceMs: 0 },
      logLevel: 'debug',
      jetStreamReplicas: 3,
    });
  });

  it('lists every problem by variable in one ConfigError', () => {
    let error: unknown;
    try {
      loadAppControllerConfig({
        WASMBED_APP_CONTROLLER_HTTP_ADDR: 'localhost',
        WASMBED_APP_CONTROLLER_DEPLOY_TIMEOUT_MS: 'soon',
        WASMBED_APP_CONTROLLER_RECONCILE_MS: '10',
        WASMBED_LOG_LEVEL: 'loud',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const variable of ['WASMBED_APP_CONTROLLER_HTTP_ADDR', 'WASMBED_APP_CONTROLLER_DEPLOY_TIMEOUT_MS', 'WASMBED_APP_CONTROLLER_RECONCILE_MS', 'WASMBED_LOG_LEVEL']) {
      expect(message).toContain(variable);
    }
    expect(message).toContain('host:port');
    expect(message).toContain('WASMBED_APP_CONTROLLER_DEPLOY_TIMEOUT_MS must be a number of milliseconds');
    expect(message).toMatch(/WASMBED_APP_CONTROLLER_RECONCILE_MS .*>=50/);
  });

  it('refuses a retry ceiling below the first delay', () => {
    expect(() => loadAppControllerConfig({ WASMBED_APP_CONTROLLER_RETRY_INITIAL_MS: '5000', WASMBED_APP_CONTROLLER_RETRY_MAX_MS: '1000' })).toThrow(
      /WASMBED_APP_CONTROLLER_RETRY_MAX_MS must be at least WASMBED_APP_CONTROLLER_RETRY_INITIAL_MS/,
    );
  });
});

describe('retryDelayMs', () => {
  it('doubles from the first delay and stops at the ceiling', () => {
    const policy = { initialMs: 2_000, maxMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((sends) => retryDelayMs(policy, sends))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(retryDelayMs(policy, 0)).toBe(2_000);
  });
});
