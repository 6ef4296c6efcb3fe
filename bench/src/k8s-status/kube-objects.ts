/** The Device and Application objects the bench creates, as an operator would write them. */
import { randomBytes } from 'node:crypto';
import { ed25519KeyPairFromSeed } from '@wasmbed/pki';
import type { ApplicationSpec } from '@wasmbed/proto';

export const GROUP = 'wasmbed.github.io';
export const VERSION = 'v1';
const API_VERSION = `${GROUP}/${VERSION}`;

export interface BenchDevice {
  readonly name: string;
  /** Hex, as the fleet records it. */
  readonly publicKeyHex: string;
  readonly object: object;
}

export const BOARD = 'bench-board';
export const ARCHITECTURE = 'wasm32-bench';

/** `count` devices named <prefix>00000…, each with its own Ed25519 key. */
export function benchDevices(count: number, prefix: string): BenchDevice[] {
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, i) => {
    const name = `${prefix}${String(i).padStart(width, '0')}`;
    const publicKey = Buffer.from(ed25519KeyPairFromSeed(randomBytes(32)).publicKey);
    return {
      name,
      publicKeyHex: publicKey.toString('hex'),
      object: { apiVersion: API_VERSION, kind: 'Device', metadata: { name }, spec: { publicKey: publicKey.toString('base64'), board: BOARD, architecture: ARCHITECTURE } },
    };
  });
}

/** The Application object for a signed spec (module inline), targeting every device. */
export function applicationObject(name: string, spec: ApplicationSpec, module: Uint8Array): { apiVersion: string; kind: string; metadata: { name: string }; spec: object } {
  const config = spec.config!;
  return {
    apiVersion: API_VERSION,
    kind: 'Application',
    metadata: { name },
    spec: {
      module: { inlineBase64: Buffer.from(module).toString('base64') },
      signature: Buffer.from(spec.manifestSignature).toString('base64'),
      publisherKey: Buffer.from(spec.publisherKey).toString('base64'),
      entryPoint: spec.entryPoint,
      requiredHostFunctions: [...spec.requiredHostFunctions],
      config: { memoryLimit: config.memoryLimitBytes, cpuTimeLimit: config.cpuTimeLimitMs, autoRestart: config.autoRestart, maxRestarts: config.maxRestarts },
      targetDevices: { allDevices: true },
    },
  };
}
