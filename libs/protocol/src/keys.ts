import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ValidationError } from '@wasmbed/errors';

// Raw Ed25519 keys (RFC 8032: 32-byte public key, 32-byte private seed) are what the
// wire carries; node:crypto wants KeyObjects. DER prefixes are fixed for Ed25519.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

function requireLength(what: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new ValidationError(`${what} must be ${length} bytes`);
  }
}

function requireEd25519(key: KeyObject, type: 'public' | 'private'): void {
  if (key.asymmetricKeyType !== 'ed25519' || key.type !== type) {
    throw new ValidationError(`expected an Ed25519 ${type} key, got ${key.asymmetricKeyType ?? key.type} ${key.type}`);
  }
}

/** Public KeyObject from a raw 32-byte Ed25519 public key. */
export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  requireLength('an Ed25519 public key', raw, ED25519_KEY_BYTES);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Private KeyObject from a raw 32-byte Ed25519 seed. */
export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  requireLength('an Ed25519 seed', seed, ED25519_KEY_BYTES);
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** Raw 32-byte public key of an Ed25519 public key, or of the public half of a private key. */
export function rawEd25519PublicKey(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  requireEd25519(publicKey, 'public');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/** Raw 32-byte seed of an Ed25519 private key. Secret material: never log it. */
export function rawEd25519Seed(key: KeyObject): Uint8Array {
  requireEd25519(key, 'private');
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.subarray(PKCS8_PREFIX.length));
}
