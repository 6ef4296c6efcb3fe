import { appSpec, fleetRevision, MODULE, MODULE_SHA } from '../test-support/fixtures';
import { canonicalOfFleet, canonicalOfResource, sameSpec, specFromFleet, toRequestSpec } from './application-spec';

const stored = (spec: ReturnType<typeof appSpec>) => canonicalOfFleet(fleetRevision(1, spec).spec!);

describe('application specs', () => {
  it('compare equal to what the fleet records of them (module hashed, sets sorted, defaults filled in)', () => {
    const spec = appSpec({ requiredHostFunctions: ['wasmbed.log', 'wasmbed.gpio', 'wasmbed.log'], config: { memoryLimit: 65_536, env: { B: '2', A: '1' } } });
    expect(sameSpec(canonicalOfResource(spec), stored(spec))).toBe(true);
    expect(canonicalOfResource(spec)).toMatchObject({
      module: { sha256: MODULE_SHA, sizeBytes: MODULE.length, uri: null },
      requiredHostFunctions: ['wasmbed.gpio', 'wasmbed.log'],
      targets: { deviceNames: ['dev-a', 'dev-b'] },
      strategy: { canary: 0, batchSize: { percent: 100 }, healthGateSeconds: 0, failureThreshold: 0 },
    });
  });

  it('tell every field that makes another revision apart', () => {
    const base = appSpec();
    for (const changed of [
      appSpec({ entryPoint: 'main' }),
      appSpec({ config: { memoryLimit: 65_536, args: ['-v'] } }),
      appSpec({ targetDevices: { selector: { matchLabels: { env: 'lab' } } } }),
      appSpec({ strategy: { canary: 1 } }),
      appSpec({ module: { sha256: 'f'.repeat(64), sizeBytes: 8 } }),
      appSpec({ module: { sha256: MODULE_SHA, sizeBytes: MODULE.length, uri: 'oci://blinky:1' } }),
    ]) {
      expect(sameSpec(canonicalOfResource(changed), stored(base))).toBe(false);
    }
    // An explicit default strategy is the same revision as none.
    expect(sameSpec(canonicalOfResource(appSpec({ strategy: { batchPercent: 100 } })), stored(base))).toBe(true);
  });

  it('sends inline bytes to the api, a stored module by hash and uri', () => {
    expect(toRequestSpec(appSpec()).module?.source).toEqual({ $case: 'inlineContent', value: MODULE });
    const byHash = toRequestSpec(appSpec({ module: { sha256: MODULE_SHA, sizeBytes: 8, uri: 'oci://x' } }));
    expect(byHash.module).toEqual({ sha256: Buffer.from(MODULE_SHA, 'hex'), sizeBytes: 8, source: { $case: 'uri', value: 'oci://x' } });
    expect(toRequestSpec(appSpec()).strategy).toBeUndefined();
    expect(toRequestSpec(appSpec({ strategy: { batchCount: 2, failureThreshold: 1 } })).strategy).toEqual({ canary: 0, batch: { $case: 'batchCount', value: 2 }, healthGateSeconds: 0, failureThreshold: 1 });
  });

  it('come back from the fleet as an equal spec, by hash unless the inline module is the same', () => {
    const spec = appSpec({ config: { memoryLimit: 65_536, env: { A: '1' }, autoRestart: true, maxRestarts: 3 }, targetDevices: { allDevices: true } });
    const revision = fleetRevision(1, spec).spec!;
    const fromFleet = specFromFleet(revision);
    expect(fromFleet.module).toEqual({ sha256: MODULE_SHA, sizeBytes: MODULE.length });
    expect(sameSpec(canonicalOfResource(fromFleet), canonicalOfResource(spec))).toBe(true);
    expect(specFromFleet(revision, spec).module).toEqual(spec.module);
    expect(specFromFleet(revision, appSpec({ module: { inlineBase64: Buffer.from('other').toString('base64') } })).module).toEqual({ sha256: MODULE_SHA, sizeBytes: MODULE.length });
  });
});
