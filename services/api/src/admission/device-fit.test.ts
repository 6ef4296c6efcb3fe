import { canRun, type ApplicationSpec, type DeviceCapabilities } from '@wasmbed/domain';
import { fitProblems } from './device-fit';
import { revisionManifest } from './revision-manifest';

// The api explains (fitProblems, from the device's own Deploy checks) what the
// app-controller decides with the domain's canRun: the two must never disagree.
const capabilities: DeviceCapabilities = {
  firmware: 'sim/1',
  board: 'sim',
  arch: 'wasm32',
  ramBytes: 262_144,
  maxModuleBytes: 65_536,
  maxInstances: 4,
  hostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'],
};

const spec = (sizeBytes: number, memoryLimitBytes: number, requiredHostFunctions: string[]): ApplicationSpec => ({
  module: { sha256: 'ab'.repeat(32), sizeBytes, uri: null },
  manifestSignature: '00'.repeat(64),
  publisherKey: '11'.repeat(32),
  entryPoint: 'run',
  requiredHostFunctions,
  config: { memoryLimitBytes, cpuTimeLimitMs: 0, env: {}, args: [], autoRestart: false, maxRestarts: 0 },
  targets: { allDevices: true },
  strategy: { canary: 0, batchSize: { percent: 100 }, healthGateSeconds: 0, failureThreshold: 0 },
});

describe('fitProblems agrees with the domain rule canRun', () => {
  const cases: [string, ApplicationSpec][] = [
    ['fits', spec(65_536, 262_144, ['wasmbed.log'])],
    ['module one byte too large', spec(65_537, 65_536, [])],
    ['memory above RAM', spec(1_000, 262_145, [])],
    ['missing host function', spec(1_000, 65_536, ['wasmbed.camera'])],
    ['everything wrong', spec(70_000, 300_000, ['wasmbed.camera'])],
  ];

  it.each(cases)('%s', (_name, s) => {
    const problems = fitProblems(revisionManifest('app', 1, s), capabilities);
    expect(problems.length === 0).toBe(canRun(capabilities, s));
  });

  it('names every problem', () => {
    const problems = fitProblems(revisionManifest('app', 1, spec(70_000, 300_000, ['wasmbed.camera'])), capabilities);
    expect(problems.join('\n')).toMatch(/wasmbed\.camera/);
    expect(problems.join('\n')).toMatch(/RAM/);
    expect(problems).toHaveLength(3);
  });
});
