// Test helper: what an application publisher does — build a manifest for an
// example app, sign its deterministic encoding, and form the Deploy body.
import { generateEd25519KeyPair, type Ed25519KeyPair } from '@wasmbed/pki';
import { exampleApp, loadExampleApp, type ExampleAppName } from '@wasmbed/example-apps';
import { encodeManifest, moduleSha256, signManifest, type DeployBody, type Manifest, type RestartPolicy } from '@wasmbed/protocol';

export interface Publication {
  readonly manifest: Manifest;
  readonly deploy: DeployBody;
  readonly module: Uint8Array;
}

export interface PublishOptions {
  readonly appId?: string;
  readonly revision?: number;
  readonly memoryLimitBytes?: number;
  readonly cpuTimeLimitMs?: number;
  readonly env?: Record<string, string>;
  readonly restart?: RestartPolicy;
  readonly publisher?: Ed25519KeyPair;
  /** Module bytes to describe instead of the example app's (the manifest then matches them). */
  readonly module?: Uint8Array;
}

export const TEST_PUBLISHER = generateEd25519KeyPair();

export function publishExampleApp(name: ExampleAppName, options: PublishOptions = {}): Publication {
  const app = exampleApp(name);
  const module = options.module ?? loadExampleApp(name);
  const revision = options.revision ?? 1;
  const manifest: Manifest = {
    name,
    revision,
    sha256: moduleSha256(module),
    sizeBytes: module.length,
    entryPoint: app.entryPoint,
    hostFunctions: [...app.requiredHostFunctions].sort(),
    memoryLimitBytes: options.memoryLimitBytes ?? 4 * 65_536,
    cpuTimeLimitMs: options.cpuTimeLimitMs ?? 2_000,
    config: { env: options.env ?? {}, args: [] },
    ...(options.restart ? { restart: options.restart } : {}),
  };
  const publisher = options.publisher ?? TEST_PUBLISHER;
  const manifestBytes = encodeManifest(manifest);
  return {
    manifest,
    module,
    deploy: {
      appId: options.appId ?? name,
      revision,
      manifest: manifestBytes,
      signature: signManifest(manifestBytes, publisher.privateKey),
      publisherKey: publisher.publicKey,
    },
  };
}
