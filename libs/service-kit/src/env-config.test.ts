import { ConfigError } from '@wasmbed/errors';
import { z } from 'zod';
import { hostPortSchema, logLevelSchema, parseEnvConfig } from './env-config';

const schema = z.object({
  DEMO_ADDR: hostPortSchema('127.0.0.1:9000').prefault('127.0.0.1:9000'),
  DEMO_COUNT: z.coerce.number().int().min(1),
  WASMBED_LOG_LEVEL: logLevelSchema,
});

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseEnvConfig', () => {
  it('returns the parsed output with defaults applied', () => {
    expect(parseEnvConfig(schema, { DEMO_COUNT: '3' }, 'demo')).toEqual({
      DEMO_ADDR: { host: '127.0.0.1', port: 9000 },
      DEMO_COUNT: 3,
      WASMBED_LOG_LEVEL: 'info',
    });
  });

  it('lists every problem, by variable, in one ConfigError named after the service', () => {
    const error = configErrorOf(() => parseEnvConfig(schema, { DEMO_ADDR: 'nowhere', WASMBED_LOG_LEVEL: 'loud' }, 'demo'));
    expect(error.issues).toHaveLength(3);
    expect(error.issues[0]).toBe('DEMO_ADDR must be host:port, e.g. 127.0.0.1:9000');
    expect(error.issues.some((i) => i.startsWith('DEMO_COUNT '))).toBe(true);
    expect(error.issues.some((i) => i.startsWith('WASMBED_LOG_LEVEL '))).toBe(true);
    expect(error.message).toBe(`invalid demo configuration:\n  ${error.issues.join('\n  ')}`);
  });

  it('names a problem with the whole environment (env)', () => {
    const error = configErrorOf(() => parseEnvConfig(z.object({}).refine(() => false, 'is not usable'), {}, 'demo'));
    expect(error.issues).toEqual(['(env) is not usable']);
  });
});

describe('hostPortSchema', () => {
  const hostPort = hostPortSchema('127.0.0.1:1');

  it('splits host and port, unbracketing IPv6 hosts', () => {
    expect(hostPort.parse('127.0.0.1:4423')).toEqual({ host: '127.0.0.1', port: 4423 });
    expect(hostPort.parse('gw.example.com:0')).toEqual({ host: 'gw.example.com', port: 0 });
    expect(hostPort.parse('[::1]:9090')).toEqual({ host: '::1', port: 9090 });
    expect(hostPort.parse('0.0.0.0:65535')).toEqual({ host: '0.0.0.0', port: 65535 });
  });

  it('refuses what is not host:port', () => {
    for (const bad of ['nowhere', ':80', 'host:', 'host:123456', '::1:80', 'a b:80', '[nothex]:80']) {
      expect(hostPort.safeParse(bad).success).toBe(false);
    }
  });

  it('refuses ports above 65535', () => {
    const result = hostPort.safeParse('host:70000');
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['port must be 0-65535']);
  });
});
