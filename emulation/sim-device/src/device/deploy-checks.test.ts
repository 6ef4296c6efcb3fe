import { ALL_HOST_FUNCTIONS, WASM_PAGE_BYTES, createWasmbedImports, loadExampleApp, type MemoryRef } from '@wasmbed/example-apps';
import { encodeManifest, signManifest, type RuntimeCapabilities } from '@wasmbed/protocol';
import { generateEd25519KeyPair } from '@wasmbed/pki';
import { publishExampleApp, TEST_PUBLISHER } from '../test-support/publisher';
import { checkDeploy, checkModule, type DeployPolicy } from './deploy-checks';

const runtime: RuntimeCapabilities = { maxModuleBytes: 128 * 1024, hostFunctions: ALL_HOST_FUNCTIONS };
const policy: DeployPolicy = { runtime, ramBytes: 1024 * 1024 };

describe('checkDeploy (before any module byte is pulled)', () => {
  it('accepts a correctly signed manifest the device can run, and returns it decoded', () => {
    const { deploy, manifest } = publishExampleApp('counter');
    expect(checkDeploy(deploy, policy)).toEqual({ ok: true, value: manifest });
  });

  it('refuses a signature that does not cover these exact bytes', () => {
    const { deploy } = publishExampleApp('counter');
    const manifest = Uint8Array.from(deploy.manifest);
    manifest[manifest.length - 1] ^= 0x01;
    expect(checkDeploy({ ...deploy, manifest }, policy)).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
    const otherKey = generateEd25519KeyPair().publicKey;
    expect(checkDeploy({ ...deploy, publisherKey: otherKey }, policy)).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
  });

  it('refuses publishers the device does not trust, when it has a trust list', () => {
    const { deploy } = publishExampleApp('counter');
    const trusting = (keys: Uint8Array[]): DeployPolicy => ({ ...policy, trustedPublisherKeys: keys });
    expect(checkDeploy(deploy, trusting([generateEd25519KeyPair().publicKey]))).toMatchObject({ ok: false, error: { code: 'untrusted_publisher' } });
    expect(checkDeploy(deploy, trusting([TEST_PUBLISHER.publicKey])).ok).toBe(true);
  });

  it('refuses a validly signed manifest that is malformed or belongs to another revision', () => {
    const { deploy } = publishExampleApp('counter', { revision: 2 });
    expect(checkDeploy({ ...deploy, revision: 3 }, policy)).toMatchObject({ ok: false, error: { code: 'invalid_manifest' } });
    const garbage = Uint8Array.of(0xa1, 0x61, 0x78, 0x01); // {"x": 1}: signed, but no manifest
    const signed = { ...deploy, manifest: garbage, signature: signManifest(garbage, TEST_PUBLISHER.privateKey) };
    expect(checkDeploy(signed, policy)).toMatchObject({ ok: false, error: { code: 'invalid_manifest' } });
    // env entries are the app's own business, not a restart policy.
    const envOnly = publishExampleApp('counter', { env: { maxRestarts: 'lots' } });
    expect(checkDeploy(envOnly.deploy, policy)).toMatchObject({ ok: true });
  });

  it('refuses what the device cannot host: size, host functions, memory', () => {
    const { deploy } = publishExampleApp('big-64k');
    expect(checkDeploy(deploy, { ...policy, runtime: { ...runtime, maxModuleBytes: 32 * 1024 } })).toMatchObject({ ok: false, error: { code: 'module_too_large' } });
    const hello = publishExampleApp('hello');
    expect(checkDeploy(hello.deploy, { ...policy, runtime: { ...runtime, hostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'] } })).toMatchObject({
      ok: false,
      error: { code: 'missing_host_function', message: expect.stringMatching(/wasmbed\.config_get/) },
    });
    const greedy = publishExampleApp('counter', { memoryLimitBytes: 2 * 1024 * 1024 });
    expect(checkDeploy(greedy.deploy, policy)).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
  });
});

describe('checkModule (after the transfer, before instantiation)', () => {
  it('refuses bytes whose size or SHA-256 differs from the manifest', () => {
    const { manifest, module } = publishExampleApp('counter');
    const flipped = Uint8Array.from(module);
    flipped[100] ^= 0x80;
    expect(checkModule(manifest, flipped, runtime)).toMatchObject({ ok: false, error: { code: 'bad_hash', message: expect.stringMatching(/SHA-256/) } });
    expect(checkModule(manifest, module.subarray(1), runtime)).toMatchObject({ ok: false, error: { code: 'bad_hash', message: expect.stringMatching(/bytes/) } });
  });

  it("caps the memory of a real example app at the manifest's limit: growing past it fails", () => {
    const { manifest, module } = publishExampleApp('memory-hog', { memoryLimitBytes: 3 * WASM_PAGE_BYTES + 1_000 });
    const checked = checkModule(manifest, module, runtime);
    if (!checked.ok) throw new Error(checked.error.message);
    expect(checked.value.memoryLimitPages).toBe(3);
    const memoryRef: MemoryRef = { current: null };
    const hooks = { log: () => undefined, nowMs: () => 0, sleepMs: () => undefined, config: () => undefined, sensorRead: () => 0, randomU32: () => 0 };
    const instance = new WebAssembly.Instance(checked.value.module, createWasmbedImports(memoryRef, hooks));
    const memory = instance.exports.memory as WebAssembly.Memory;
    expect(memory.grow(2)).toBe(1); // 1 → 3 pages
    expect(() => memory.grow(1)).toThrow(RangeError); // the JS API's form of memory.grow returning -1
    expect(memory.buffer.byteLength).toBe(3 * WASM_PAGE_BYTES);

    // The original module declares no maximum: unpatched, it could grow far beyond.
    const unpatched = new WebAssembly.Instance(new WebAssembly.Module(loadExampleApp('memory-hog')), createWasmbedImports(memoryRef, hooks));
    expect((unpatched.exports.memory as WebAssembly.Memory).grow(8)).toBe(1);
  });

  it('refuses a module whose initial memory exceeds the limit, and imports the manifest does not declare', () => {
    const small = publishExampleApp('counter', { memoryLimitBytes: WASM_PAGE_BYTES - 1 });
    expect(checkModule(small.manifest, small.module, runtime)).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
    // hello imports config_get and sensor_read; a manifest that does not declare them does not get them.
    const hello = publishExampleApp('hello');
    const undeclared = { ...hello.manifest, hostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'] };
    expect(checkModule(undeclared, hello.module, runtime)).toMatchObject({ ok: false, error: { code: 'missing_host_function' } });
  });

  it('refuses bytes that are not WebAssembly even when the manifest matches them', () => {
    const junk = new TextEncoder().encode('definitely not wasm');
    const { manifest } = publishExampleApp('counter', { module: junk });
    expect(encodeManifest(manifest).length).toBeGreaterThan(0);
    expect(checkModule(manifest, junk, runtime)).toMatchObject({ ok: false, error: { code: 'instantiate_failed' } });
  });
});
