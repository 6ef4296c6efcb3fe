import { readFileSync } from 'node:fs';
import type { Ed25519KeyPair } from '@wasmbed/pki';
import { InputError } from '../errors';
import { publisherKeyFromPem } from '../signing';

/** A file the command reads, or an error naming it and why it could not be read. */
export function readInputFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new InputError(`cannot read ${what} ${path}: ${why}`);
  }
}

/** The publisher key pair in a key file written by `wasmbed keys generate`. */
export function readPublisherKey(path: string): Ed25519KeyPair {
  return publisherKeyFromPem(readInputFile(path, 'the key file').toString('utf8'), path);
}
