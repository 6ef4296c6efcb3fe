import { ConfigError } from '@wasmbed/errors';
import { loadApiConfig } from './config';

const token = { subject: 'ops', role: 'admin', tokenSha256: 'a'.repeat(64) };

describe('loadApiConfig', () => {
  it('applies defaults and parses addresses', () => {
    const cfg = loadApiConfig({ WASMBED_API_TOKENS: JSON.stringify([token]) });
    expect(cfg.grpc).toEqual({ host: '127.0.0.1', port: 50051 });
    expect(cfg.http).toEqual({ host: '127.0.0.1', port: 3001 });
    expect(cfg.natsUrl).toBe('nats://127.0.0.1:4222');
    expect(cfg.tokens).toEqual([token]);
  });

  it('names every bad variable in one readable error', () => {
    let caught: unknown;
    try {
      loadApiConfig({ WASMBED_API_GRPC_ADDR: 'nope', WASMBED_API_TOKENS: '[{"subject":"x","role":"root","tokenSha256":"abc"}]' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const msg = (caught as Error).message;
    expect(msg).toContain('WASMBED_API_GRPC_ADDR must be host:port');
    expect(msg).toContain('WASMBED_API_TOKENS.0.role');
    expect(msg).toContain('WASMBED_API_TOKENS.0.tokenSha256');
  });

  it('reads trusted publisher keys (comma-separated hex, any case) and the device log limits', () => {
    const key = 'AB'.repeat(32);
    const cfg = loadApiConfig({
      WASMBED_API_TOKENS: JSON.stringify([token]),
      WASMBED_TRUSTED_PUBLISHER_KEYS: ` ${key}, ${'cd'.repeat(32)} ,`,
      WASMBED_DEVICE_LOGS_MAX_AGE_SECONDS: '3600',
      WASMBED_DEVICE_LOGS_MAX_BYTES: '1048576',
    });
    expect(cfg.trustedPublisherKeys).toEqual(['ab'.repeat(32), 'cd'.repeat(32)]);
    expect(cfg.deviceLogs).toEqual({ maxAgeMs: 3_600_000, maxBytes: 1_048_576, maxMessageBytes: 32 * 1024 });
    const defaults = loadApiConfig({ WASMBED_API_TOKENS: JSON.stringify([token]) });
    expect(defaults.trustedPublisherKeys).toEqual([]);
    expect(defaults.deviceLogs).toMatchObject({ maxAgeMs: 86_400_000, maxBytes: 256 * 1024 * 1024 });
  });

  it('names bad publisher keys and log limits', () => {
    const env = { WASMBED_API_TOKENS: JSON.stringify([token]), WASMBED_TRUSTED_PUBLISHER_KEYS: 'abc', WASMBED_DEVICE_LOGS_MAX_BYTES: '0' };
    expect(() => loadApiConfig(env)).toThrow(/WASMBED_TRUSTED_PUBLISHER_KEYS.0 must be 32-byte Ed25519 public keys as 64 hex digits/);
    expect(() => loadApiConfig(env)).toThrow(/WASMBED_DEVICE_LOGS_MAX_BYTES/);
  });

  it('requires tokens and rejects invalid JSON', () => {
    expect(() => loadApiConfig({})).toThrow(/WASMBED_API_TOKENS is required/);
    expect(() => loadApiConfig({ WASMBED_API_TOKENS: '{' })).toThrow(/WASMBED_API_TOKENS is not valid JSON/);
  });

  it('reads WASMBED_JETSTREAM_REPLICAS (1 when unset) and refuses what is no replica count', () => {
    const base = { WASMBED_API_TOKENS: JSON.stringify([token]) };
    expect(loadApiConfig(base).jetStreamReplicas).toBe(1);
    expect(loadApiConfig({ ...base, WASMBED_JETSTREAM_REPLICAS: '3' }).jetStreamReplicas).toBe(3);
    expect(() => loadApiConfig({ ...base, WASMBED_JETSTREAM_REPLICAS: '0' })).toThrow(
      /WASMBED_JETSTREAM_REPLICAS must be an integer from 1 to 5: the replicas of each JetStream stream, at most the number of NATS servers/,
    );
  });
});
