/**
 * What a publisher does through the api: sign the manifest of the revision a
 * command will create (manifestFromSource, the derivation the api verifies) and
 * send the module inline. For e2e tests and benchmarks.
 */
import type { ServiceError } from '@grpc/grpc-js';
import { ed25519KeyPairFromSeed } from '@wasmbed/pki';
import type { ApplicationSpec, DeploymentTargets, RolloutStrategy } from '@wasmbed/proto';
import { encodeManifest, manifestFromSource, moduleSha256, signManifest } from '@wasmbed/protocol';

/** A unary gRPC call as a promise: `call<Res>((done) => client.method(req, done))`. */
export function call<Res = unknown>(invoke: (done: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((err, res) => (err ? reject(err) : resolve(res)));
  });
}

export interface SignedSpecOptions {
  readonly name: string;
  readonly revision: number;
  readonly module: Uint8Array;
  readonly publisherSeed: Uint8Array;
  readonly requiredHostFunctions: readonly string[];
  readonly targets: DeploymentTargets;
  readonly strategy?: RolloutStrategy;
  readonly entryPoint?: string;
  readonly memoryLimitBytes?: number;
  readonly cpuTimeLimitMs?: number;
  readonly autoRestart?: boolean;
  readonly maxRestarts?: number;
}

export function signedApplicationSpec(options: SignedSpecOptions): ApplicationSpec {
  const sha256 = Buffer.from(moduleSha256(options.module));
  const config = {
    memoryLimitBytes: options.memoryLimitBytes ?? 4 * 65_536,
    cpuTimeLimitMs: options.cpuTimeLimitMs ?? 0,
    env: {},
    args: [],
    autoRestart: options.autoRestart ?? false,
    maxRestarts: options.maxRestarts ?? 0,
  };
  const entryPoint = options.entryPoint ?? 'run';
  const manifest = encodeManifest(
    manifestFromSource({
      name: options.name,
      revision: options.revision,
      module: { sha256: sha256.toString('hex'), sizeBytes: options.module.length },
      entryPoint,
      requiredHostFunctions: options.requiredHostFunctions,
      config,
    }),
  );
  return {
    module: { sha256, sizeBytes: options.module.length, source: { $case: 'inlineContent', value: Buffer.from(options.module) } },
    manifestSignature: Buffer.from(signManifest(manifest, options.publisherSeed)),
    publisherKey: Buffer.from(ed25519KeyPairFromSeed(options.publisherSeed).publicKey),
    entryPoint,
    requiredHostFunctions: [...options.requiredHostFunctions],
    config,
    targets: options.targets,
    strategy: options.strategy ?? { canary: 0, batch: { $case: 'batchPercent', value: 100 }, healthGateSeconds: 0, failureThreshold: 0 },
  };
}
