import { ed25519KeyPairFromSeed } from '@wasmbed/pki';
import { signManifest } from '@wasmbed/protocol';
import { VerifiedManifests } from './verified-manifests';

const seed = new Uint8Array(32).fill(7);
const publicKey = ed25519KeyPairFromSeed(seed).publicKey;
const manifest = (n: number) => Uint8Array.of(0xa1, 0x61, 0x6e, n);

describe('VerifiedManifests', () => {
  it('accepts a good signature, again from memory, and never a forged one', () => {
    const cache = new VerifiedManifests();
    const signature = signManifest(manifest(1), seed);
    expect(cache.verify(manifest(1), signature, publicKey)).toBe(true);
    expect(cache.verify(manifest(1), signature, publicKey)).toBe(true);
    expect(cache.size).toBe(1);
    const forged = Uint8Array.from(signature);
    forged[0] ^= 1;
    expect(cache.verify(manifest(1), forged, publicKey)).toBe(false);
    expect(cache.verify(manifest(2), signature, publicKey)).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('keeps at most its capacity, evicting the oldest', () => {
    const cache = new VerifiedManifests(2);
    for (const n of [1, 2, 3]) expect(cache.verify(manifest(n), signManifest(manifest(n), seed), publicKey)).toBe(true);
    expect(cache.size).toBe(2);
  });
});
