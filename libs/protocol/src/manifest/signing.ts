import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { ED25519_KEY_BYTES, ED25519_SIGNATURE_BYTES, ed25519PrivateKeyFromSeed, ed25519PublicKeyFromRaw } from '../keys';

/**
 * Ed25519 signature over the manifest's bytes as they are (normally encodeManifest's
 * output). `privateKey` is a KeyObject or a raw 32-byte seed.
 */
export function signManifest(manifestBytes: Uint8Array, privateKey: KeyObject | Uint8Array): Uint8Array {
  const key = privateKey instanceof Uint8Array ? ed25519PrivateKeyFromSeed(privateKey) : privateKey;
  return new Uint8Array(sign(null, manifestBytes, key));
}

/**
 * Whether `signature` is the publisher's Ed25519 signature over exactly these bytes.
 * Wrong lengths and keys that are not curve points are simply false: callers act on
 * the answer (bad_signature), never on an exception.
 */
export function verifyManifest(manifestBytes: Uint8Array, signature: Uint8Array, publicKey: KeyObject | Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    if (publicKey instanceof Uint8Array && publicKey.length !== ED25519_KEY_BYTES) return false;
    const key = publicKey instanceof Uint8Array ? ed25519PublicKeyFromRaw(publicKey) : publicKey;
    return verify(null, manifestBytes, key, signature);
  } catch {
    return false;
  }
}

/** SHA-256 of a WebAssembly module, as the manifest's `sha256`. */
export function moduleSha256(moduleBytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(moduleBytes).digest());
}
