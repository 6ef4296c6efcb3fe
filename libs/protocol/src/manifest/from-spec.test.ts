import { ProtocolError } from '../errors';
import { decodeManifest, encodeManifest } from './manifest';
import { manifestFromSource, type ManifestSource } from './from-spec';

const source: ManifestSource = {
  name: 'blinky',
  revision: 3,
  module: { sha256: 'AB'.repeat(32), sizeBytes: 1234 },
  entryPoint: 'run',
  requiredHostFunctions: ['wasmbed.sleep_ms', 'wasmbed.log', 'wasmbed.log'],
  config: { memoryLimitBytes: 65_536, cpuTimeLimitMs: 500, env: { B: '2', A: '1' }, args: ['x'], autoRestart: false, maxRestarts: 5 },
};

describe('manifestFromSource', () => {
  it('builds the manifest of a revision: host functions as a sorted set, no restart policy when off', () => {
    const manifest = manifestFromSource(source);
    expect(manifest).toEqual({
      name: 'blinky',
      revision: 3,
      sha256: Uint8Array.from(Buffer.from('ab'.repeat(32), 'hex')),
      sizeBytes: 1234,
      entryPoint: 'run',
      hostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'],
      memoryLimitBytes: 65_536,
      cpuTimeLimitMs: 500,
      config: { env: { A: '1', B: '2' }, args: ['x'] },
    });
    expect(decodeManifest(encodeManifest(manifest))).toEqual(manifest);
  });

  it('carries the restart policy when auto-restart is on, and it survives the round trip', () => {
    const manifest = manifestFromSource({ ...source, config: { ...source.config, autoRestart: true, maxRestarts: 2 } });
    expect(manifest.restart).toEqual({ autoRestart: true, maxRestarts: 2 });
    expect(decodeManifest(encodeManifest(manifest)).restart).toEqual({ autoRestart: true, maxRestarts: 2 });
  });

  it('gives the same bytes for the same spec whatever the order of env and host functions', () => {
    const reordered = { ...source, requiredHostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'], config: { ...source.config, env: { A: '1', B: '2' } } };
    expect(Buffer.from(encodeManifest(manifestFromSource(reordered)))).toEqual(Buffer.from(encodeManifest(manifestFromSource(source))));
  });

  it('refuses a sha256 that is not 64 hex digits', () => {
    expect(() => manifestFromSource({ ...source, module: { sha256: 'zz', sizeBytes: 1 } })).toThrow(ProtocolError);
  });

  it('refuses a restart record with unknown or missing fields when decoding', () => {
    const manifest = manifestFromSource({ ...source, config: { ...source.config, autoRestart: true, maxRestarts: 1 } });
    const bad = { ...manifest, restart: { autoRestart: true } } as unknown as typeof manifest;
    expect(() => encodeManifest(bad)).toThrow(ProtocolError);
  });
});
