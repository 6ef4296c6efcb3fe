import { applicationDecider, type Application as ApplicationState } from '@wasmbed/domain';
import { ApplicationSpec } from '@wasmbed/proto';
import { toRequestError } from '../commands/request-fields';
import { history, META } from '../test-support/domain';
import { toSpecMessage } from '../views/application-view';
import { toCreateApplication, toSpecInput, toStrategy } from './application-mapping';

const spec = ApplicationSpec.fromPartial({
  module: { sha256: Buffer.alloc(32, 0xab), sizeBytes: 4096, source: { $case: 'uri', value: 'https://modules.example/app.wasm' } },
  manifestSignature: Buffer.alloc(64, 0xcd),
  publisherKey: Buffer.alloc(32, 0xef),
  entryPoint: '_start',
  requiredHostFunctions: ['log', 'gpio.write'],
  config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 50, env: { MODE: 'fast' }, args: ['-v'], autoRestart: true, maxRestarts: 3 },
  targets: { kind: { $case: 'selector', value: { matchLabels: { env: 'prod' } } } },
  strategy: { canary: 1, batch: { $case: 'batchCount', value: 5 }, healthGateSeconds: 30, failureThreshold: 2 },
});

function storedSpec(input: ApplicationSpec) {
  const { state } = history(applicationDecider, [toCreateApplication({ name: 'app', spec: input }, META)]);
  return (state as ApplicationState).revisions[0].spec;
}

describe('ApplicationService spec mapping', () => {
  it('round-trips a spec through the domain and back to proto', () => {
    // The domain keeps host functions sorted; everything else comes back as sent.
    expect(toSpecMessage(storedSpec(spec))).toEqual({ ...spec, requiredHostFunctions: ['gpio.write', 'log'] });
  });

  it('turns bytes into lowercase hex and the uri source into module.uri', () => {
    const input = toSpecInput(spec);
    expect(input.module).toEqual({ sha256: 'ab'.repeat(32), sizeBytes: 4096, uri: 'https://modules.example/app.wasm' });
    expect(input.manifestSignature).toBe('cd'.repeat(64));
    expect(input.publisherKey).toBe('ef'.repeat(32));
  });

  it.each([
    [{ $case: 'deviceNames' as const, value: { names: ['b', 'a'] } }, { deviceNames: ['b', 'a'] }],
    [{ $case: 'allDevices' as const, value: true }, { allDevices: true }],
    [undefined, {}],
  ])('maps targets %j', (kind, expected) => {
    expect(toSpecInput({ ...spec, targets: { kind } }).targets).toEqual(expected);
  });

  it('maps strategies: counts, percentages, and an unset batch as one wave (100 %)', () => {
    const base = { canary: 0, healthGateSeconds: 0, failureThreshold: 0 };
    expect(toStrategy({ ...base, batch: { $case: 'batchCount', value: 3 } }).batchSize).toBe(3);
    expect(toStrategy({ ...base, batch: { $case: 'batchPercent', value: 25 } }).batchSize).toEqual({ percent: 25 });
    expect(toStrategy({ ...base, batch: undefined }).batchSize).toEqual({ percent: 100 });
    expect(toSpecInput({ ...spec, strategy: undefined }).strategy).toBeUndefined();
  });

  it('lets the domain name what is missing, in request terms', () => {
    let caught: unknown;
    try {
      storedSpec({ ...spec, targets: undefined });
    } catch (err) {
      caught = toRequestError(err);
    }
    expect(caught).toMatchObject({ code: 'invalid_argument', message: 'invalid spec.targets: must set exactly one of deviceNames, selector, allDevices' });
  });
});
