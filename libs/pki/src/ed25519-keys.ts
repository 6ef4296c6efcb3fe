import { createHash, createPrivateKey, createPublicKey, KeyObject, randomBytes } from 'node:crypto';
import { InvalidKeyError, UnsupportedKeyAlgorithmError } from './errors';
import { redactSecretsInLogs } from './redact';

export const ED25519_PUBLIC_KEY_LENGTH = 32;
export const ED25519_SEED_LENGTH = 32;

// Fixed DER headers (RFC 8410): an Ed25519 SPKI / PKCS#8 is this prefix followed by
// the raw 32-byte key / seed, which lets us convert without an ASN.1 parser.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An Ed25519 identity. `privateKeyPem` prints as "[redacted]" in logs and JSON. */
export interface Ed25519KeyPair {
  /** Raw 32-byte public key: the device identity. */
  readonly publicKey: Uint8Array;
  /** Lower-case hex of `publicKey` (64 characters), as stored in the event log. */
  readonly publicKeyHex: string;
  readonly publicKeyPem: string;
  readonly privateKey: KeyObject;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
}

export function generateEd25519KeyPair(): Ed25519KeyPair {
  return ed25519KeyPairFromSeed(randomBytes(ED25519_SEED_LENGTH));
}

/** Deterministic key pair from a 32-byte seed (RFC 8032 private key), e.g. one provisioned into an MCU. */
export function ed25519KeyPairFromSeed(seed: Uint8Array): Ed25519KeyPair {
  return keyPairOf(ed25519PrivateKeyFromSeed(seed));
}

export function ed25519KeyPairFromPrivateKeyPem(pem: string): Ed25519KeyPair {
  return keyPairOf(ed25519PrivateKeyFromPem(pem));
}

export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_LENGTH) {
    throw new InvalidKeyError(`an Ed25519 seed must be ${ED25519_SEED_LENGTH} bytes`);
  }
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519PrivateKeyFromPem(pem: string): KeyObject {
  const key = privateKeyFromPem(pem);
  requireEd25519(key);
  return key;
}

/** Any algorithm's private key, e.g. a gateway key from an external CA. */
export function privateKeyFromPem(pem: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The parser's error is dropped on purpose: nothing derived from key bytes leaves here.
    throw new InvalidKeyError('private key is not a readable unencrypted PEM key');
  }
}

/** The 32-byte seed of a private key; what an MCU stores as its identity. */
export function ed25519SeedOf(privateKey: KeyObject): Uint8Array {
  if (privateKey.type !== 'private') throw new InvalidKeyError('expected a private key');
  requireEd25519(privateKey);
  return new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length));
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: rawPublicKeyToSpkiDer(raw), format: 'der', type: 'spki' });
}

/** Raw public key of a public or private Ed25519 KeyObject. */
export function rawPublicKeyFromKeyObject(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  requireEd25519(publicKey);
  return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length));
}

export function rawPublicKeyToSpkiDer(raw: Uint8Array): Buffer {
  requireRawPublicKey(raw);
  return Buffer.concat([SPKI_PREFIX, raw]);
}

export function rawPublicKeyFromSpkiDer(der: Uint8Array): Uint8Array {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch (err) {
    throw new InvalidKeyError(`not a DER SubjectPublicKeyInfo: ${(err as Error).message}`);
  }
  return rawPublicKeyFromKeyObject(key);
}

export function rawPublicKeyToPem(raw: Uint8Array): string {
  return publicKeyFromRaw(raw).export({ format: 'pem', type: 'spki' }).toString();
}

export function rawPublicKeyFromPem(pem: string): Uint8Array {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new InvalidKeyError(`not a PEM public key: ${(err as Error).message}`);
  }
  return rawPublicKeyFromKeyObject(key);
}

export function publicKeyToHex(raw: Uint8Array): string {
  requireRawPublicKey(raw);
  return Buffer.from(raw).toString('hex');
}

/** Accepts upper or lower case hex, as the domain does. */
export function publicKeyFromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new InvalidKeyError(`an Ed25519 public key in hex must be ${ED25519_PUBLIC_KEY_LENGTH * 2} hex characters`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** SHA-256 of the raw public key, lower-case hex (64 characters). */
export function publicKeyFingerprint(raw: Uint8Array): string {
  requireRawPublicKey(raw);
  return createHash('sha256').update(raw).digest('hex');
}

/** First 16 hex characters (64 bits) of publicKeyFingerprint: enough to tell devices apart in logs. */
export function shortPublicKeyFingerprint(raw: Uint8Array): string {
  return publicKeyFingerprint(raw).slice(0, 16);
}

function keyPairOf(privateKey: KeyObject): Ed25519KeyPair {
  const publicKey = rawPublicKeyFromKeyObject(privateKey);
  return redactSecretsInLogs(
    {
      publicKey,
      publicKeyHex: publicKeyToHex(publicKey),
      publicKeyPem: rawPublicKeyToPem(publicKey),
      privateKey,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    },
    ['privateKeyPem'],
  );
}

function requireRawPublicKey(raw: Uint8Array): void {
  if (!(raw instanceof Uint8Array) || raw.length !== ED25519_PUBLIC_KEY_LENGTH) {
    throw new InvalidKeyError(`an Ed25519 public key must be ${ED25519_PUBLIC_KEY_LENGTH} raw bytes`);
  }
}

function requireEd25519(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new UnsupportedKeyAlgorithmError(key.asymmetricKeyType ?? 'unknown');
}
