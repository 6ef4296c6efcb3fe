import { generateEd25519KeyPair } from '@wasmbed/pki';
import { decodeManifest, encodeManifest, manifestFromSource, verifyManifest } from '@wasmbed/protocol';
import { applicationSpecOf } from './commands/app-spec';
import { InputError } from './errors';
import { inspectModule, signRevision, type ManifestInput } from './signing';
import { tinyWasmModule } from './test-support/wasm-module';

const wasm = tinyWasmModule({ imports: [['wasmbed', 'sleep_ms'], ['wasmbed', 'log']], exportName: 'run' });

const input: ManifestInput = {
  name: 'blinky',
  revision: 3,
  module: wasm,
  entryPoint: 'run',
  requiredHostFunctions: ['wasmbed.sleep_ms', 'wasmbed.log'],
  config: { memoryLimitBytes: 131_072, cpuTimeLimitMs: 50, env: { LED: '13', A: 'x' }, args: ['--fast'], autoRestart: true, maxRestarts: 2 },
};

describe('signRevision', () => {
  const publisher = generateEd25519KeyPair();
  const revision = signRevision(input, publisher);

  it('signs exactly the manifest the api rebuilds from the request spec', () => {
    // What admission does: ApplicationSpec + name + the revision the command creates → manifestFromSource → encodeManifest.
    const spec = applicationSpecOf({ input, signed: revision }, { kind: { $case: 'allDevices', value: true } }, undefined);
    const rebuilt = encodeManifest(
      manifestFromSource({
        name: 'blinky',
        revision: 3,
        module: { sha256: spec.module!.sha256.toString('hex'), sizeBytes: spec.module!.sizeBytes },
        entryPoint: spec.entryPoint,
        requiredHostFunctions: spec.requiredHostFunctions,
        config: spec.config!,
      }),
    );
    expect(Buffer.from(rebuilt)).toEqual(Buffer.from(revision.bytes));
    expect(verifyManifest(rebuilt, spec.manifestSignature, spec.publisherKey)).toBe(true);
    expect(spec.module!.source).toEqual({ $case: 'inlineContent', value: Buffer.from(wasm) });
  });

  it('binds name, revision, module and settings', () => {
    const manifest = decodeManifest(revision.bytes);
    expect(manifest).toMatchObject({
      name: 'blinky',
      revision: 3,
      sizeBytes: wasm.length,
      entryPoint: 'run',
      hostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'],
      memoryLimitBytes: 131_072,
      cpuTimeLimitMs: 50,
      config: { env: { A: 'x', LED: '13' }, args: ['--fast'] },
      restart: { autoRestart: true, maxRestarts: 2 },
    });
    const other = signRevision({ ...input, revision: 4 }, publisher);
    expect(verifyManifest(other.bytes, revision.signature, publisher.publicKey)).toBe(false);
  });

  it('reports an invalid manifest as an input error naming the field', () => {
    expect(() => signRevision({ ...input, entryPoint: '1nvalid' }, publisher)).toThrow(InputError);
    expect(() => signRevision({ ...input, entryPoint: '1nvalid' }, publisher)).toThrow(/entryPoint/);
  });
});

describe('inspectModule', () => {
  it('lists wasmbed imports (qualified, sorted), other imports and exported functions', () => {
    const mixed = tinyWasmModule({ imports: [['wasmbed', 'sleep_ms'], ['env', 'abort'], ['wasmbed', 'log']], exportName: 'start' });
    expect(inspectModule(mixed, 'app.wasm')).toEqual({
      hostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'],
      foreignImports: ['env.abort'],
      exportedFunctions: ['start'],
    });
  });

  it('refuses bytes that are not a module', () => {
    expect(() => inspectModule(Uint8Array.from([1, 2, 3]), 'junk.wasm')).toThrow(/junk.wasm is not a valid WebAssembly module/);
  });
});
