import { ConfigError } from '@wasmbed/errors';
import { defaultEndpoint, loadGatewayConfig } from './config';

const required = { WASMBED_GATEWAY_PRIVATE_KEY: '/certs/server.key', WASMBED_GATEWAY_CERTIFICATE: '/certs/server.der' };

describe('gateway configuration', () => {
  it('applies the documented defaults', () => {
    expect(loadGatewayConfig(required)).toEqual({
      gatewayId: 'gateway-1',
      natsUrl: 'nats://127.0.0.1:4222',
      bind: { host: '127.0.0.1', port: 4423 },
      http: { host: '127.0.0.1', port: 8080 },
      privateKeyPath: '/certs/server.key',
      certificatePath: '/certs/server.der',
      clientCaPath: undefined,
      adminTokens: [],
      heartbeatIntervalMs: 30_000,
      livenessFlushMs: 30_000,
      helloTimeoutMs: 10_000,
      handshakeTimeoutMs: 10_000,
      pendingHoldMs: 300_000,
      capacity: 10_000,
      endpoint: '127.0.0.1:4423',
      region: 'default',
      autoApprove: true,
      logLevel: 'info',
      jetStreamReplicas: 1,
    });
  });

  it('reads every variable', () => {
    const config = loadGatewayConfig({
      ...required,
      WASMBED_GATEWAY_ID: 'edge-7',
      WASMBED_NATS_URL: 'nats://nats:4222',
      WASMBED_GATEWAY_BIND_ADDR: '0.0.0.0:4500',
      WASMBED_GATEWAY_HTTP_ADDR: '[::1]:9090',
      WASMBED_GATEWAY_CLIENT_CA: '/certs/client-ca.der',
      WASMBED_GATEWAY_ADMIN_TOKENS: JSON.stringify([{ subject: 'ops', role: 'operator', tokenSha256: 'a'.repeat(64) }]),
      WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: '5000',
      WASMBED_GATEWAY_LIVENESS_FLUSH_MS: '15000',
      WASMBED_GATEWAY_HELLO_TIMEOUT_MS: '2000',
      WASMBED_GATEWAY_HANDSHAKE_TIMEOUT_MS: '3000',
      WASMBED_GATEWAY_PENDING_HOLD_MS: '60000',
      WASMBED_GATEWAY_CAPACITY: '50',
      WASMBED_GATEWAY_ENDPOINT: 'gw7.example.com:4500',
      WASMBED_GATEWAY_REGION: 'eu-west',
      WASMBED_GATEWAY_AUTO_APPROVE: 'false',
      WASMBED_LOG_LEVEL: 'debug',
      WASMBED_JETSTREAM_REPLICAS: '3',
    });
    expect(config).toMatchObject({
      gatewayId: 'edge-7',
      bind: { host: '0.0.0.0', port: 4500 },
      http: { host: '::1', port: 9090 },
      clientCaPath: '/certs/client-ca.der',
      adminTokens: [{ subject: 'ops', role: 'operator' }],
      heartbeatIntervalMs: 5000,
      livenessFlushMs: 15_000,
      helloTimeoutMs: 2000,
      handshakeTimeoutMs: 3000,
      pendingHoldMs: 60_000,
      capacity: 50,
      endpoint: 'gw7.example.com:4500',
      region: 'eu-west',
      autoApprove: false,
      logLevel: 'debug',
      jetStreamReplicas: 3,
    });
  });

  it('lists every problem at once, by variable', () => {
    let error: ConfigError | undefined;
    try {
      loadGatewayConfig({
        WASMBED_GATEWAY_ID: 'Not_A_Name',
        WASMBED_GATEWAY_BIND_ADDR: 'nowhere',
        WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: '10',
        WASMBED_GATEWAY_LIVENESS_FLUSH_MS: '5',
        WASMBED_GATEWAY_CAPACITY: 'many',
        WASMBED_GATEWAY_ADMIN_TOKENS: '{not json',
        WASMBED_GATEWAY_AUTO_APPROVE: 'maybe',
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.issues.join('\n');
    for (const variable of [
      'WASMBED_GATEWAY_ID',
      'WASMBED_GATEWAY_BIND_ADDR',
      'WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS',
      'WASMBED_GATEWAY_LIVENESS_FLUSH_MS',
      'WASMBED_GATEWAY_CAPACITY',
      'WASMBED_GATEWAY_ADMIN_TOKENS',
      'WASMBED_GATEWAY_AUTO_APPROVE',
      'WASMBED_GATEWAY_PRIVATE_KEY',
      'WASMBED_GATEWAY_CERTIFICATE',
    ]) {
      expect(text).toContain(variable);
    }
  });

  it('refuses tokens that are not hashes', () => {
    expect(() => loadGatewayConfig({ ...required, WASMBED_GATEWAY_ADMIN_TOKENS: JSON.stringify([{ subject: 'ops', role: 'admin', tokenSha256: 'secret' }]) })).toThrow(/SHA-256/);
  });

  it('advertises localhost for a wildcard bind and brackets IPv6', () => {
    expect(defaultEndpoint({ host: '0.0.0.0', port: 4423 })).toBe('localhost:4423');
    expect(defaultEndpoint({ host: 'fd00::1', port: 4423 })).toBe('[fd00::1]:4423');
    expect(defaultEndpoint({ host: 'gw.local', port: 1 })).toBe('gw.local:1');
  });
});
