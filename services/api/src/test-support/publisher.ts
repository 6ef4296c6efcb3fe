// Test-only: a publisher signing application specs the way the CLI does, with
// @wasmbed/protocol only (never the api's own manifest code).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ApplicationSpec, type DeploymentTargets } from '@wasmbed/proto';
import { encodeManifest, manifestFromSource, moduleSha256, rawEd25519PublicKey, signManifest } from '@wasmbed/protocol';

export interface SpecOptions {
  readonly name: string;
  /** The revision the Create/Update call will create. */
  readonly revision: number;
  readonly module: Uint8Array;
  readonly targets: DeploymentTargets['kind'];
  /** Send the bytes inline (default) or only name the module by uri. */
  readonly inline?: boolean;
  readonly requiredHostFunctions?: string[];
  readonly memoryLimitBytes?: number;
  readonly entryPoint?: string;
  readonly env?: Record<string, string>;
}

export class Publisher {
  readonly publicKey: Buffer;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKey = Buffer.from(rawEd25519PublicKey(privateKey));
  }

  static generate(): Publisher {
    return new Publisher(generateKeyPairSync('ed25519').privateKey);
  }

  get publicKeyHex(): string {
    return this.publicKey.toString('hex');
  }

  /** A spec whose manifest_signature verifies for `revision` of `name`. */
  spec(options: SpecOptions): ApplicationSpec {
    const sha256 = Buffer.from(moduleSha256(options.module));
    const config = { memoryLimitBytes: options.memoryLimitBytes ?? 65_536, cpuTimeLimitMs: 0, env: options.env ?? {}, args: [], autoRestart: false, maxRestarts: 0 };
    const entryPoint = options.entryPoint ?? 'run';
    const requiredHostFunctions = options.requiredHostFunctions ?? [];
    const manifest = manifestFromSource({
      name: options.name,
      revision: options.revision,
      module: { sha256: sha256.toString('hex'), sizeBytes: options.module.length },
      entryPoint,
      requiredHostFunctions,
      config,
    });
    const signature = signManifest(encodeManifest(manifest), this.privateKey);
    return ApplicationSpec.fromPartial({
      module: {
        sha256,
        sizeBytes: options.module.length,
        source: options.inline === false ? { $case: 'uri', value: `wasmbed-module:${sha256.toString('hex')}` } : { $case: 'inlineContent', value: Buffer.from(options.module) },
      },
      manifestSignature: Buffer.from(signature),
      publisherKey: this.publicKey,
      entryPoint,
      requiredHostFunctions,
      config,
      targets: { kind: options.targets },
    });
  }
}
