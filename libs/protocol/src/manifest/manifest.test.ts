import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { protocolErrorOf as manifestError } from '../test-support/thrown';
import { ed25519PrivateKeyFromSeed, ed25519PublicKeyFromRaw, rawEd25519PublicKey, rawEd25519Seed } from '../keys';
import { MAX_MANIFEST_BYTES } from '../limits';
import { anyManifest } from '../test-support/arbitraries';
import { MINIMAL_MANIFEST, PUBLISHER_KEY, PUBLISHER_SEED, SAMPLE_MANIFEST, SAMPLE_MANIFEST_BYTES, SAMPLE_MODULE } from '../vectors/samples';
import { checkManifestAgainst } from './admission';
import { decodeManifest, encodeManifest, type Manifest } from './manifest';
import { moduleSha256, signManifest, verifyManifest } from './signing';

describe('encodeManifest / decodeManifest', () => {
  it('round-trips the samples', () => {
    expect(decodeManifest(encodeManifest(SAMPLE_MANIFEST))).toEqual(SAMPLE_MANIFEST);
    expect(decodeManifest(encodeManifest(MINIMAL_MANIFEST))).toEqual(MINIMAL_MANIFEST);
  });

  it('round-trips any valid manifest, and its encoding is the only one accepted', () => {
    fc.assert(
      fc.property(anyManifest, (manifest) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeManifest(manifest);
        } catch (err) {
          // Large generated manifests may exceed the size limit; nothing else may fail.
          expect(err).toMatchObject({ protocolCode: 'invalid_manifest', message: expect.stringMatching(/more than 3072/) });
          return;
        }
        const decoded = decodeManifest(bytes);
        expect(decoded).toEqual(manifest);
        expect(Buffer.from(encodeManifest(decoded))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order the caller wrote fields or env entries in', () => {
    const reordered: Manifest = {
      config: { args: ['--verbose'], env: { PERIOD_MS: '500', LED_PIN: '13' } },
      cpuTimeLimitMs: 50,
      memoryLimitBytes: 65_536,
      hostFunctions: SAMPLE_MANIFEST.hostFunctions,
      entryPoint: 'run',
      sizeBytes: SAMPLE_MANIFEST.sizeBytes,
      sha256: SAMPLE_MANIFEST.sha256,
      revision: 3,
      name: 'blinky',
    };
    expect(Buffer.from(encodeManifest(reordered))).toEqual(Buffer.from(SAMPLE_MANIFEST_BYTES));
  });

  it.each<[string, Partial<Record<keyof Manifest, unknown>>, string]>([
    ['unsorted host functions', { hostFunctions: ['b', 'a'] }, 'manifest.hostFunctions[1]'],
    ['a repeated host function', { hostFunctions: ['a', 'a'] }, 'manifest.hostFunctions[1]'],
    ['a zero memory limit', { memoryLimitBytes: 0 }, 'manifest.memoryLimitBytes'],
    ['an empty module', { sizeBytes: 0 }, 'manifest.sizeBytes'],
    ['a bad entry point', { entryPoint: '1run' }, 'manifest.entryPoint'],
    ['a bad env name', { config: { env: { 'A-B': 'x' }, args: [] } }, 'manifest.config.env.A-B'],
    ['an unknown config field', { config: { env: {}, args: [], cwd: '/' } }, 'manifest.config.cwd'],
    ['a short hash', { sha256: new Uint8Array(31) }, 'manifest.sha256'],
  ])('refuses to encode %s', (_what, change, path) => {
    const err = manifestError(() => encodeManifest({ ...SAMPLE_MANIFEST, ...change } as Manifest));
    expect(err).toMatchObject({ protocolCode: 'invalid_manifest', info: { path } });
  });

  it('refuses unknown top-level fields and manifests over the size limit', () => {
    expect(manifestError(() => encodeManifest({ ...SAMPLE_MANIFEST, publisher: 'acme' } as Manifest)).info.path).toBe('manifest.publisher');
    const big = { ...SAMPLE_MANIFEST, config: { env: {}, args: Array.from({ length: 16 }, () => 'x'.repeat(250)) } };
    expect(manifestError(() => encodeManifest(big)).message).toMatch(/more than 3072/);
    expect(manifestError(() => decodeManifest(new Uint8Array(MAX_MANIFEST_BYTES + 1))).message).toMatch(/more than 3072/);
  });

  it('keeps "__proto__" as a plain env entry', () => {
    const manifest = { ...MINIMAL_MANIFEST, config: { env: JSON.parse('{"__proto__":"x"}') as Record<string, string>, args: [] } };
    const decoded = decodeManifest(encodeManifest(manifest));
    expect(Object.keys(decoded.config.env)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(decoded.config.env)).toBe(Object.prototype);
  });

  it('reports every decoding failure as invalid_manifest', () => {
    for (const bytes of [Uint8Array.of(0xa0), Uint8Array.of(0xff), Uint8Array.of(0x80), SAMPLE_MANIFEST_BYTES.subarray(1)]) {
      expect(manifestError(() => decodeManifest(bytes)).protocolCode).toBe('invalid_manifest');
    }
  });
});

describe('signing', () => {
  it('signs and verifies the exact bytes', () => {
    const signature = signManifest(SAMPLE_MANIFEST_BYTES, PUBLISHER_SEED);
    expect(signature).toHaveLength(64);
    expect(verifyManifest(SAMPLE_MANIFEST_BYTES, signature, PUBLISHER_KEY)).toBe(true);
    expect(verifyManifest(SAMPLE_MANIFEST_BYTES, signature, ed25519PublicKeyFromRaw(PUBLISHER_KEY))).toBe(true);
    const changed = Uint8Array.from(SAMPLE_MANIFEST_BYTES);
    changed[changed.length - 1] ^= 1;
    expect(verifyManifest(changed, signature, PUBLISHER_KEY)).toBe(false);
  });

  it('signs deterministically (RFC 8032), with a seed or a KeyObject alike', () => {
    const a = signManifest(SAMPLE_MANIFEST_BYTES, PUBLISHER_SEED);
    const b = signManifest(SAMPLE_MANIFEST_BYTES, ed25519PrivateKeyFromSeed(PUBLISHER_SEED));
    expect(Buffer.from(a)).toEqual(Buffer.from(b));
  });

  it('answers false, never throws, for malformed signatures and keys', () => {
    const signature = signManifest(SAMPLE_MANIFEST_BYTES, PUBLISHER_SEED);
    expect(verifyManifest(SAMPLE_MANIFEST_BYTES, signature.subarray(1), PUBLISHER_KEY)).toBe(false);
    expect(verifyManifest(SAMPLE_MANIFEST_BYTES, signature, PUBLISHER_KEY.subarray(1))).toBe(false);
    expect(verifyManifest(SAMPLE_MANIFEST_BYTES, signature, new Uint8Array(32).fill(0xff))).toBe(false);
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(verifyManifest(SAMPLE_MANIFEST_BYTES, signature, publicKey)).toBe(false);
  });

  it('converts keys between raw bytes and KeyObjects', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const seed = rawEd25519Seed(privateKey);
    const raw = rawEd25519PublicKey(publicKey);
    expect(seed).toHaveLength(32);
    expect(Buffer.from(rawEd25519PublicKey(privateKey))).toEqual(Buffer.from(raw));
    expect(Buffer.from(rawEd25519PublicKey(ed25519PrivateKeyFromSeed(seed)))).toEqual(Buffer.from(raw));
    expect(ed25519PublicKeyFromRaw(raw).equals(publicKey)).toBe(true);
    expect(() => ed25519PublicKeyFromRaw(new Uint8Array(31))).toThrow(/32 bytes/);
    expect(() => rawEd25519Seed(publicKey)).toThrow(/Ed25519 private key/);
    expect(() => rawEd25519PublicKey(generateKeyPairSync('x25519').publicKey)).toThrow(/Ed25519 public key/);
  });
});

describe('checkManifestAgainst', () => {
  const runtime = { maxModuleBytes: 1024, hostFunctions: ['wasmbed.gpio_write', 'wasmbed.log', 'wasmbed.sleep_ms'] };

  it('finds nothing wrong with a matching module and runtime', () => {
    expect(checkManifestAgainst(SAMPLE_MANIFEST, SAMPLE_MODULE, runtime)).toEqual([]);
    expect(checkManifestAgainst(SAMPLE_MANIFEST, null, runtime)).toEqual([]);
  });

  it('lists every problem', () => {
    const altered = Uint8Array.from(SAMPLE_MODULE);
    altered[10] ^= 1;
    const problems = checkManifestAgainst(SAMPLE_MANIFEST, altered, { maxModuleBytes: 16, hostFunctions: ['wasmbed.log'] });
    expect(problems.map((p) => [p.code, p.hostFunction])).toEqual([
      ['bad_hash', undefined],
      ['module_too_large', undefined],
      ['missing_host_function', 'wasmbed.gpio_write'],
      ['missing_host_function', 'wasmbed.sleep_ms'],
    ]);
  });

  it('treats a module of the wrong size as the wrong module', () => {
    const [problem] = checkManifestAgainst(SAMPLE_MANIFEST, SAMPLE_MODULE.subarray(1), runtime);
    expect(problem).toMatchObject({ code: 'bad_hash', message: expect.stringMatching(/32 bytes/) });
  });

  it('hashes modules with SHA-256', () => {
    expect(Buffer.from(moduleSha256(new Uint8Array(0))).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
