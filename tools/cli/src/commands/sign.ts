import { parsePositiveCount } from '../args/values';
import type { Command } from '../command';
import { formatBytes } from '../output/format';
import { MANIFEST_FLAGS, NEW_APP_DEFAULTS, signFromFlags } from './manifest-flags';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const sign: Command = {
  path: ['sign'],
  summary: 'Build and sign the manifest of one revision offline (for CI); prints the manifest and signature in hex',
  flags: {
    name: { type: 'string', value: 'NAME', help: 'application name (required)' },
    revision: { type: 'string', value: 'N', help: 'revision number the manifest is for (required)' },
    ...MANIFEST_FLAGS,
  },
  examples: ['wasmbed sign --wasm app.wasm --key publisher.key --name blinky --revision 3 --memory 128KiB'],
  async run(ctx) {
    const { args, out } = ctx;
    const name = args.requiredString('name');
    const revision = args.parsed('--revision', args.requiredString('revision'), parsePositiveCount);
    const { input, signed } = signFromFlags(ctx, name, revision, NEW_APP_DEFAULTS);
    const result = {
      name,
      revision,
      manifest: hex(signed.bytes),
      signature: hex(signed.signature),
      publisherKey: hex(signed.publisherKey),
      sha256: hex(signed.sha256),
      sizeBytes: signed.sizeBytes,
      entryPoint: signed.manifest.entryPoint,
      requiredHostFunctions: signed.manifest.hostFunctions,
      config: input.config,
    };
    if (out.json) return out.jsonValue(result);
    out.fields([
      ['Manifest', result.manifest],
      ['Signature', result.signature],
      ['Publisher key', result.publisherKey],
      ['Module sha256', result.sha256],
      ['Module size', `${formatBytes(result.sizeBytes)} (${result.sizeBytes} bytes)`],
      ['Entry point', result.entryPoint],
      ['Host functions', result.requiredHostFunctions.join(', ') || '-'],
    ]);
  },
};

export const SIGN_COMMANDS: readonly Command[] = [sign];
