import { createHash } from 'node:crypto';
import type { DeployToDevice } from '@wasmbed/device-bus';
import { inspectModule, loadExampleApp, requiredHostFunctions, type ExampleAppName } from '@wasmbed/example-apps';
import { ed25519PrivateKeyFromSeed, encodeManifest, manifestFromSource, moduleSha256, rawEd25519PublicKey, signManifest } from '@wasmbed/protocol';

/** An app publisher: the seed signs manifests, the key goes into the device's publisher block. */
export interface Publisher {
  readonly seed: Buffer;
  readonly keyHex: string;
}

export function publisher(name: string): Publisher {
  const seed = createHash('sha256').update(`firmware test publisher ${name}`).digest();
  return { seed, keyHex: Buffer.from(rawEd25519PublicKey(ed25519PrivateKeyFromSeed(seed))).toString('hex') };
}

export interface AppRelease {
  readonly appId: string;
  readonly revision: number;
  readonly module: Uint8Array;
  readonly sha256Hex: string;
  /** The deterministic manifest bytes the publisher signs. */
  readonly manifest: Uint8Array;
}

export interface ReleaseOptions {
  readonly appId?: string;
  readonly revision?: number;
  readonly env?: Record<string, string>;
  readonly memoryLimitBytes?: number;
  readonly cpuTimeLimitMs?: number;
  readonly autoRestart?: boolean;
  readonly maxRestarts?: number;
  /** Appends a custom section of about this many bytes: a module that takes several chunks, and runs the same. */
  readonly padBytes?: number;
}

function leb128(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return Buffer.from(out);
}

function withCustomSection(module: Uint8Array, bytes: number): Uint8Array {
  const name = Buffer.from('padding');
  const body = Buffer.concat([leb128(name.length), name, Buffer.alloc(bytes, 0x5a)]);
  return Buffer.concat([module, Buffer.from([0]), leb128(body.length), body]);
}

/** An example app (emulation/apps) with its manifest, as the control plane would publish it. */
export function exampleRelease(name: ExampleAppName, options: ReleaseOptions = {}): AppRelease {
  const module = options.padBytes ? withCustomSection(loadExampleApp(name), options.padBytes) : loadExampleApp(name);
  const sha256Hex = Buffer.from(moduleSha256(module)).toString('hex');
  const appId = options.appId ?? name;
  const revision = options.revision ?? 1;
  const manifest = encodeManifest(manifestFromSource({
    name: appId,
    revision,
    module: { sha256: sha256Hex, sizeBytes: module.length },
    entryPoint: 'run',
    requiredHostFunctions: requiredHostFunctions(inspectModule(module)),
    config: {
      memoryLimitBytes: options.memoryLimitBytes ?? 65_536,
      cpuTimeLimitMs: options.cpuTimeLimitMs ?? 0,
      env: options.env ?? {},
      args: [],
      autoRestart: options.autoRestart ?? false,
      maxRestarts: options.maxRestarts ?? 0,
    },
  }));
  return { appId, revision, module, sha256Hex, manifest };
}

/** The device-bus command the app-controller sends (services/app-controller), signed by `by`. */
export function deployCommand(release: AppRelease, by: Publisher): DeployToDevice {
  return {
    type: 'DeployToDevice',
    appId: release.appId,
    revision: release.revision,
    manifest: Buffer.from(release.manifest).toString('base64'),
    signature: Buffer.from(signManifest(release.manifest, by.seed)).toString('hex'),
    publisherKey: by.keyHex,
  };
}
