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

  it('requires tokens and rejects invalid JSON', () => {
    expect(() => loadApiConfig({})).toThrow(/WASMBED_API_TOKENS is required/);
    expect(() => loadApiConfig({ WASMBED_API_TOKENS: '{' })).toThrow(/WASMBED_API_TOKENS is not valid JSON/);
  });
});
