import { ed25519KeyPairFromPrivateKeyPem, rawPublicKeyFromPem } from '@wasmbed/pki';
import { InputError } from '../errors';
import { readInputFile } from './files';

/**
 * A device's Ed25519 public key from a key file: 64 hex digits, a PEM public
 * key, or the device's PEM private key (only its public half is used).
 */
export function publicKeyFromKeyFile(path: string): Buffer {
  const trimmed = readInputFile(path, 'the key file').toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  try {
    if (trimmed.includes('PRIVATE KEY')) return Buffer.from(ed25519KeyPairFromPrivateKeyPem(trimmed).publicKey);
    if (trimmed.includes('PUBLIC KEY')) return Buffer.from(rawPublicKeyFromPem(trimmed));
  } catch (err) {
    throw new InputError(`${path}: ${(err as Error).message}`);
  }
  throw new InputError(`${path} holds no Ed25519 key (expected 64 hex digits, or a PEM public or private key)`);
}
