import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import {
  ed25519KeyPairFromPrivateKeyPem,
  ed25519KeyPairFromSeed,
  ed25519PrivateKeyFromPem,
  ed25519SeedOf,
  generateEd25519KeyPair,
  InvalidKeyError,
  publicKeyFingerprint,
  publicKeyFromHex,
  publicKeyFromRaw,
  publicKeyToHex,
  rawPublicKeyFromKeyObject,
  rawPublicKeyFromPem,
  rawPublicKeyFromSpkiDer,
  rawPublicKeyToPem,
  rawPublicKeyToSpkiDer,
  shortPublicKeyFingerprint,
  UnsupportedKeyAlgorithmError,
} from './index';

// RFC 8032 section 7.1, test 1.
const RFC_SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const RFC_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC_EMPTY_MESSAGE_SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
// sha256 of the raw RFC public key, computed with `xxd -r -p | sha256sum`.
const RFC_PUBLIC_FINGERPRINT = '21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9';

describe('Ed25519 key helpers', () => {
  it('derives the RFC 8032 public key and signature from a seed', () => {
    const pair = ed25519KeyPairFromSeed(RFC_SEED);
    expect(pair.publicKeyHex).toBe(RFC_PUBLIC);
    expect(pair.publicKey).toHaveLength(32);
    expect(sign(null, Buffer.alloc(0), pair.privateKey).toString('hex')).toBe(RFC_EMPTY_MESSAGE_SIGNATURE);
    expect(Buffer.from(ed25519SeedOf(pair.privateKey)).equals(RFC_SEED)).toBe(true);
  });

  it('generates distinct key pairs whose PEM forms describe the same key', () => {
    const a = generateEd25519KeyPair();
    const b = generateEd25519KeyPair();
    expect(a.publicKeyHex).not.toBe(b.publicKeyHex);
    expect(a.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(a.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(ed25519KeyPairFromPrivateKeyPem(a.privateKeyPem).publicKeyHex).toBe(a.publicKeyHex);
    expect(Buffer.from(rawPublicKeyFromPem(a.publicKeyPem)).equals(a.publicKey)).toBe(true);
  });

  it('signs with the private key so that the key rebuilt from the raw public key verifies', () => {
    const pair = generateEd25519KeyPair();
    const message = Buffer.from('hello device');
    const signature = sign(null, message, pair.privateKey);
    expect(verify(null, message, publicKeyFromRaw(pair.publicKey), signature)).toBe(true);
    expect(verify(null, Buffer.from('hello devicf'), publicKeyFromRaw(pair.publicKey), signature)).toBe(false);
  });

  it('round-trips any 32-byte key through SPKI DER, PEM, KeyObject and hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const raw = ed25519KeyPairFromSeed(seed).publicKey;
        const same = (other: Uint8Array) => Buffer.from(other).equals(raw);
        return (
          same(rawPublicKeyFromSpkiDer(rawPublicKeyToSpkiDer(raw))) &&
          same(rawPublicKeyFromPem(rawPublicKeyToPem(raw))) &&
          same(rawPublicKeyFromKeyObject(publicKeyFromRaw(raw))) &&
          same(publicKeyFromHex(publicKeyToHex(raw))) &&
          same(publicKeyFromHex(publicKeyToHex(raw).toUpperCase()))
        );
      }),
      { numRuns: 50 },
    );
  });

  it('derives the raw public key from a private KeyObject too', () => {
    const pair = ed25519KeyPairFromSeed(RFC_SEED);
    expect(publicKeyToHex(rawPublicKeyFromKeyObject(pair.privateKey))).toBe(RFC_PUBLIC);
  });

  it('refuses keys of the wrong length or encoding', () => {
    expect(() => rawPublicKeyToSpkiDer(new Uint8Array(31))).toThrow(InvalidKeyError);
    expect(() => publicKeyFingerprint(new Uint8Array(33))).toThrow(InvalidKeyError);
    expect(() => ed25519KeyPairFromSeed(new Uint8Array(16))).toThrow(InvalidKeyError);
    expect(() => publicKeyFromHex('ab'.repeat(31))).toThrow(InvalidKeyError);
    expect(() => publicKeyFromHex('zz'.repeat(32))).toThrow(InvalidKeyError);
    expect(() => rawPublicKeyFromSpkiDer(Buffer.from('3000', 'hex'))).toThrow(InvalidKeyError);
  });

  it('refuses non-Ed25519 keys with a typed error naming the algorithm', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    let err: unknown;
    try {
      rawPublicKeyFromKeyObject(ec.publicKey);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedKeyAlgorithmError);
    expect(err).toMatchObject({ code: 'invalid_argument', algorithm: 'ec' });
    expect(() => ed25519PrivateKeyFromPem(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      UnsupportedKeyAlgorithmError,
    );
  });

  it('reports an unreadable private key without echoing any of it', () => {
    // A truncated body: still mostly the real key, so any echo of it would show.
    const almostPem = generateEd25519KeyPair().privateKeyPem.replace(/\n([A-Za-z0-9+/=]+)\n/, (_m, body: string) => `\n${body.slice(0, 40)}\n`);
    let err: unknown;
    try {
      ed25519PrivateKeyFromPem(almostPem);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidKeyError);
    const text = JSON.stringify(err) + String(err) + inspect(err);
    for (const line of almostPem.split('\n').filter((l) => l.length > 8)) expect(text).not.toContain(line);
  });

  it('fingerprints the raw key with SHA-256, with a 16-character short form for logs', () => {
    const pub = Buffer.from(RFC_PUBLIC, 'hex');
    expect(publicKeyFingerprint(pub)).toBe(RFC_PUBLIC_FINGERPRINT);
    expect(shortPublicKeyFingerprint(pub)).toBe(RFC_PUBLIC_FINGERPRINT.slice(0, 16));
  });

  it('keeps the private key out of console output and JSON', () => {
    const pair = generateEd25519KeyPair();
    expect(inspect(pair)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(pair)).not.toContain('PRIVATE KEY');
    expect(inspect(pair)).toContain(pair.publicKeyHex);
    expect(pair.privateKeyPem).toContain('PRIVATE KEY');
    expect(Object.isFrozen(pair)).toBe(true);
  });
});
