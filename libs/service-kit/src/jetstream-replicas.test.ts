import { ConfigError } from '@wasmbed/errors';
import { z } from 'zod';
import { jetStreamReplicasSchema, parseEnvConfig } from './index';

const schema = z.object({ WASMBED_JETSTREAM_REPLICAS: jetStreamReplicasSchema });
const parse = (value?: string) => parseEnvConfig(schema, value === undefined ? {} : { WASMBED_JETSTREAM_REPLICAS: value }, 'demo').WASMBED_JETSTREAM_REPLICAS;

describe('jetStreamReplicasSchema (WASMBED_JETSTREAM_REPLICAS)', () => {
  it('is 1 when unset and reads 1 to 5', () => {
    expect(parse()).toBe(1);
    expect(['1', '2', '3', '4', '5'].map(parse)).toEqual([1, 2, 3, 4, 5]);
  });

  it.each(['0', '6', '-1', '2.5', '3.0', ' 3', 'three', ''])('refuses %p at parse time, naming the variable and the range', (value) => {
    let caught: unknown;
    try {
      parse(value);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues).toEqual([
      'WASMBED_JETSTREAM_REPLICAS must be an integer from 1 to 5: the replicas of each JetStream stream, at most the number of NATS servers',
    ]);
  });
});
