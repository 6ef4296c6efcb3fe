import { ed25519KeyPairFromPrivateKeyPem, type Ed25519KeyPair } from '@wasmbed/pki';
import { encodeManifest, manifestFromSource, moduleSha256, ProtocolError, signManifest, type Manifest, type ManifestSource } from '@wasmbed/protocol';
import { InputError } from './errors';

/** The module name WebAssembly apps import Wasmbed host functions from (docs/app-abi.md). */
export const HOST_MODULE = 'wasmbed';

/** Limits and start-up settings of a revision: the RuntimeConfig the manifest signs. */
export type RuntimeSettings = ManifestSource['config'];

/** Everything one revision's manifest is made of. */
export interface ManifestInput {
  readonly name: string;
  readonly revision: number;
  readonly module: Uint8Array;
  readonly entryPoint: string;
  readonly requiredHostFunctions: readonly string[];
  readonly config: RuntimeSettings;
}

export interface SignedManifest {
  readonly manifest: Manifest;
  /** encodeManifest's deterministic bytes: what was signed. */
  readonly bytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly publisherKey: Uint8Array;
  readonly sha256: Uint8Array;
  readonly sizeBytes: number;
}

/**
 * The same ManifestSource the api builds from the request's spec for admission
 * (sha256 as hex, size, entry point, host functions, config), so the bytes
 * signed here are the bytes it verifies.
 */
export function manifestSourceOf(input: ManifestInput): ManifestSource {
  return {
    name: input.name,
    revision: input.revision,
    module: { sha256: Buffer.from(moduleSha256(input.module)).toString('hex'), sizeBytes: input.module.length },
    entryPoint: input.entryPoint,
    requiredHostFunctions: input.requiredHostFunctions,
    config: input.config,
  };
}

/** Builds, encodes and signs one revision's manifest with the publisher's key. */
export function signRevision(input: ManifestInput, publisher: Ed25519KeyPair): SignedManifest {
  let manifest: Manifest;
  let bytes: Uint8Array;
  try {
    manifest = manifestFromSource(manifestSourceOf(input));
    bytes = encodeManifest(manifest);
  } catch (err) {
    if (err instanceof ProtocolError) throw new InputError(`the manifest would be invalid: ${err.message}`, { cause: err });
    throw err;
  }
  return {
    manifest,
    bytes,
    signature: signManifest(bytes, publisher.privateKey),
    publisherKey: publisher.publicKey,
    sha256: manifest.sha256,
    sizeBytes: manifest.sizeBytes,
  };
}

/** A publisher key file: the PKCS#8 PEM that `wasmbed keys generate` writes. */
export function publisherKeyFromPem(pem: string, path: string): Ed25519KeyPair {
  try {
    return ed25519KeyPairFromPrivateKeyPem(pem);
  } catch (err) {
    throw new InputError(`${path} is not an Ed25519 private key in PEM (create one with \`wasmbed keys generate\`): ${(err as Error).message}`);
  }
}

interface WasmDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
}
interface WasmModuleApi {
  new (bytes: Uint8Array): object;
  imports(module: object): WasmDescriptor[];
  exports(module: object): WasmDescriptor[];
}
// The WebAssembly JS API is only typed in TypeScript's DOM lib; these three members are all the CLI uses.
const WasmModule = (globalThis as unknown as { WebAssembly: { Module: WasmModuleApi } }).WebAssembly.Module;

/** What the CLI needs to know about a module before signing it. */
export interface ModuleInterface {
  /** Functions imported from the "wasmbed" module, qualified: "wasmbed.log". */
  readonly hostFunctions: readonly string[];
  /** Imports from any other module, which no Wasmbed runtime provides: "env.foo". */
  readonly foreignImports: readonly string[];
  readonly exportedFunctions: readonly string[];
}

/** Compiles the module (which validates it) and lists its imports and exported functions. */
export function inspectModule(bytes: Uint8Array, path: string): ModuleInterface {
  let module: object;
  try {
    module = new WasmModule(bytes);
  } catch (err) {
    throw new InputError(`${path} is not a valid WebAssembly module: ${(err as Error).message}`);
  }
  const imports = WasmModule.imports(module);
  const qualified = (d: WasmDescriptor) => `${d.module}.${d.name}`;
  return {
    hostFunctions: [...new Set(imports.filter((d) => d.module === HOST_MODULE && d.kind === 'function').map(qualified))].sort(),
    foreignImports: imports.filter((d) => d.module !== HOST_MODULE).map(qualified),
    exportedFunctions: WasmModule.exports(module).filter((d) => d.kind === 'function').map((d) => d.name),
  };
}
