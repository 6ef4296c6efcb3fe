import { open } from 'node:fs/promises';
import { generateEd25519KeyPair, writeAtomically } from '@wasmbed/pki';
import type { Command } from '../command';
import { InputError, OutputExistsError } from '../errors';
import { readPublisherKey } from './files';

/** Writes the private key readable by its owner only; without `force`, never over an existing file. */
async function writePrivateKey(path: string, pem: string, force: boolean): Promise<void> {
  if (force) return writeAtomically(path, pem, 0o600);
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputExistsError(path);
    throw new InputError(`cannot create ${path}: ${(err as Error).message}`);
  }
  try {
    await handle.writeFile(pem, 'utf8');
  } finally {
    await handle.close();
  }
}

const generate: Command = {
  path: ['keys', 'generate'],
  summary: 'Create an Ed25519 publisher key pair: the private key to a file (mode 0600), the public key to stdout',
  flags: {
    out: { type: 'string', value: 'FILE', help: 'where to write the private key (PKCS#8 PEM; required)' },
    force: { type: 'boolean', help: 'overwrite FILE if it exists' },
  },
  examples: ['wasmbed keys generate --out publisher.key'],
  async run(ctx) {
    const { args, out } = ctx;
    const path = ctx.resolvePath(args.requiredString('out'));
    const pair = generateEd25519KeyPair();
    await writePrivateKey(path, pair.privateKeyPem, args.bool('force'));
    if (out.json) return out.jsonValue({ publicKey: pair.publicKeyHex, keyFile: path });
    out.line(pair.publicKeyHex);
    out.note(`wrote the private key to ${path} (keep it secret); the public key above is what devices trust`);
  },
};

const publicKey: Command = {
  path: ['keys', 'public'],
  summary: 'Print the public key (hex) of a private key file',
  flags: { key: { type: 'string', value: 'FILE', help: 'the private key file (required)' } },
  async run(ctx) {
    const path = ctx.resolvePath(ctx.args.requiredString('key'));
    const pair = readPublisherKey(path);
    if (ctx.out.json) return ctx.out.jsonValue({ publicKey: pair.publicKeyHex });
    ctx.out.line(pair.publicKeyHex);
  },
};

export const KEYS_COMMANDS: readonly Command[] = [generate, publicKey];
