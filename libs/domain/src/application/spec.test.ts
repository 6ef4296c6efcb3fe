import { InvalidCommand } from '../shared/errors';
import { KEY_B, SHA_1, SIGNATURE } from '../test-support/fixtures';
import { STRATEGY, specInput } from '../test-support/application';
import { DEFAULT_STRATEGY, requireSpec, type ApplicationSpecInput } from './spec';

const withConfig = (config: Record<string, unknown>) =>
  specInput({ config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 100, ...config } as ApplicationSpecInput['config'] });
const withStrategy = (strategy: Record<string, unknown>) => specInput({ strategy: { ...STRATEGY, ...strategy } as ApplicationSpecInput['strategy'] });
const withModule = (module: Record<string, unknown>) => specInput({ module: { sha256: SHA_1, sizeBytes: 4096, ...module } as ApplicationSpecInput['module'] });
const withTargets = (targets: Record<string, unknown>) => specInput({ targets: targets as ApplicationSpecInput['targets'] });

describe('requireSpec', () => {
  it('returns the canonical spec: lowercase hex, sorted sets and keys, defaults filled in', () => {
    const spec = requireSpec(
      'spec',
      specInput({
        module: { sha256: SHA_1.toUpperCase(), sizeBytes: 4096, uri: 'oci://registry/thermo:1' },
        manifestSignature: SIGNATURE.toUpperCase(),
        requiredHostFunctions: ['log', 'gpio_write', 'log'],
        config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 0, env: { Z: '1', A: '2' }, args: ['--fast'], autoRestart: true, maxRestarts: 3 },
        targets: { deviceNames: ['d2', 'd1', 'd2'] },
        strategy: undefined,
      }),
    );
    expect(spec).toEqual({
      module: { sha256: SHA_1, sizeBytes: 4096, uri: 'oci://registry/thermo:1' },
      manifestSignature: SIGNATURE,
      publisherKey: KEY_B,
      entryPoint: 'run',
      requiredHostFunctions: ['gpio_write', 'log'],
      config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 0, env: { A: '2', Z: '1' }, args: ['--fast'], autoRestart: true, maxRestarts: 3 },
      targets: { deviceNames: ['d1', 'd2'] },
      strategy: DEFAULT_STRATEGY,
    });
    expect(Object.keys(spec.config.env)).toEqual(['A', 'Z']);
  });

  it('fills in the optional runtime settings', () => {
    const spec = requireSpec('spec', specInput({ requiredHostFunctions: undefined }));
    expect(spec.config).toEqual({ memoryLimitBytes: 65536, cpuTimeLimitMs: 100, env: {}, args: [], autoRestart: false, maxRestarts: 0 });
    expect(spec.requiredHostFunctions).toEqual([]);
    expect(spec.module.uri).toBeNull();
  });

  it.each([
    [{ selector: { env: 'lab' } }, { selector: { env: 'lab' } }],
    [{ allDevices: true }, { allDevices: true }],
  ])('accepts targets %j', (targets, expected) => {
    expect(requireSpec('spec', withTargets(targets)).targets).toEqual(expected);
  });

  it.each([
    [{ batchSize: { percent: 25 }, failureThreshold: { percent: 0 } }, { batchSize: { percent: 25 }, failureThreshold: { percent: 0 } }],
    [{ batchSize: 3, failureThreshold: 2 }, { batchSize: 3, failureThreshold: 2 }],
  ])('accepts counts and percentages %j', (strategy, expected) => {
    expect(requireSpec('spec', withStrategy(strategy)).strategy).toMatchObject(expected);
  });

  it.each([
    ['spec', null],
    ['spec.module', specInput({ module: undefined as unknown as ApplicationSpecInput['module'] })],
    ['spec.module.sha256', withModule({ sha256: 'abc' })],
    ['spec.module.sizeBytes', withModule({ sizeBytes: 0 })],
    ['spec.module.uri', withModule({ uri: '' })],
    ['spec.manifestSignature', specInput({ manifestSignature: KEY_B })],
    ['spec.publisherKey', specInput({ publisherKey: SIGNATURE })],
    ['spec.entryPoint', specInput({ entryPoint: '1run' })],
    ['spec.entryPoint', specInput({ entryPoint: 7 as unknown as string })],
    ['spec.requiredHostFunctions', specInput({ requiredHostFunctions: 'log' as unknown as string[] })],
    ['spec.config', specInput({ config: [] as unknown as ApplicationSpecInput['config'] })],
    ['spec.config.memoryLimitBytes', withConfig({ memoryLimitBytes: 0 })],
    ['spec.config.cpuTimeLimitMs', withConfig({ cpuTimeLimitMs: -1 })],
    ['spec.config.env', withConfig({ env: 'A=1' })],
    ['spec.config.env.1A', withConfig({ env: { '1A': 'x' } })],
    ['spec.config.env.A', withConfig({ env: { A: 1 } })],
    ['spec.config.args', withConfig({ args: '--fast' })],
    ['spec.config.args[1]', withConfig({ args: ['--fast', 2] })],
    ['spec.config.autoRestart', withConfig({ autoRestart: 'yes' })],
    ['spec.config.maxRestarts', withConfig({ maxRestarts: -1 })],
    ['spec.targets', withTargets({})],
    ['spec.targets', withTargets({ allDevices: true, selector: { env: 'lab' } })],
    ['spec.targets.deviceNames', withTargets({ deviceNames: [] })],
    ['spec.targets.deviceNames[0]', withTargets({ deviceNames: ['D1'] })],
    ['spec.targets.selector', withTargets({ selector: {} })],
    ['spec.targets.allDevices', withTargets({ allDevices: false })],
    ['spec.strategy', specInput({ strategy: 1 as unknown as ApplicationSpecInput['strategy'] })],
    ['spec.strategy.canary', withStrategy({ canary: -1 })],
    ['spec.strategy.batchSize', withStrategy({ batchSize: 0 })],
    ['spec.strategy.batchSize', withStrategy({ batchSize: { pct: 5 } })],
    ['spec.strategy.batchSize', withStrategy({ batchSize: { percent: 5, extra: 1 } })],
    ['spec.strategy.batchSize.percent', withStrategy({ batchSize: { percent: 0 } })],
    ['spec.strategy.batchSize.percent', withStrategy({ batchSize: { percent: 101 } })],
    ['spec.strategy.healthGateSeconds', withStrategy({ healthGateSeconds: 1.5 })],
    ['spec.strategy.failureThreshold', withStrategy({ failureThreshold: -1 })],
    ['spec.strategy.failureThreshold.percent', withStrategy({ failureThreshold: { percent: -5 } })],
    ['spec.strategy.failureThreshold.percent', withStrategy({ failureThreshold: { percent: Number.NaN } })],
  ])('rejects an invalid %s', (field, input) => {
    let caught: unknown;
    try {
      requireSpec('spec', input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidCommand);
    expect((caught as InvalidCommand).field).toBe(field);
  });
});
