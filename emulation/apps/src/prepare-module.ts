import {
  ALL_HOST_FUNCTIONS,
  HOST_FUNCTIONS,
  HOST_MODULE,
  WASM_PAGE_BYTES,
  isHostFunctionName,
  qualifiedName,
  type QualifiedHostFunction,
} from './abi';
import { InvalidModule, MemoryLimitExceeded, MissingHostFunction } from './errors';
import { withMemoryMaximum } from './memory-limit';
import { inspectModule, type FuncType, type ModuleInfo } from './module-inspect';
import { ownBytes } from './wasm-reader';

export interface PrepareOptions {
  /** Exported function the host calls (the manifest's entryPoint). */
  readonly entryPoint: string;
  readonly memoryLimitBytes: number;
  /** Host functions this host offers, qualified ("wasmbed.log"); all of ABI v1 when omitted. */
  readonly hostFunctions?: readonly string[];
}

export interface PreparedModule {
  /** Compiled with its memory maximum capped at the limit. */
  readonly module: WebAssembly.Module;
  readonly info: ModuleInfo;
  readonly memoryLimitPages: number;
  readonly requiredHostFunctions: readonly QualifiedHostFunction[];
}

function sameSignature(type: FuncType | null, params: readonly string[], results: readonly string[]): boolean {
  return type !== null && type.params.join() === params.join() && type.results.join() === results.join();
}

function describe(type: FuncType | null): string {
  return type === null ? 'unknown type' : `(${type.params.join(', ')}) -> (${type.results.join(', ')})`;
}

/**
 * Host functions a module imports, qualified and sorted: what a manifest's
 * requiredHostFunctions must list. Throws InvalidModule for an import the ABI
 * does not define.
 */
export function requiredHostFunctions(info: ModuleInfo): QualifiedHostFunction[] {
  const required = new Set<QualifiedHostFunction>();
  for (const imp of info.imports) {
    const where = `import ${JSON.stringify(`${imp.module}.${imp.name}`)}`;
    if (imp.kind !== 'function') throw new InvalidModule(`${where}: only functions may be imported, not a ${imp.kind}`);
    if (imp.module !== HOST_MODULE || !isHostFunctionName(imp.name)) {
      throw new InvalidModule(`${where}: not a host function of the Wasmbed ABI`);
    }
    const { params, results } = HOST_FUNCTIONS[imp.name];
    if (!sameSignature(imp.type, params, results)) {
      throw new InvalidModule(`${where}: signature ${describe(imp.type)} differs from (${params.join(', ')}) -> (${results.join(', ')})`);
    }
    required.add(qualifiedName(imp.name));
  }
  return [...required].sort();
}

/**
 * Load-time checks of docs/app-abi.md, in the order a host performs them.
 * Throws InvalidModule, MissingHostFunction or MemoryLimitExceeded (each with
 * the outcome reason a host reports).
 */
export function prepareModule(bytes: Uint8Array, options: PrepareOptions): PreparedModule {
  if (!WebAssembly.validate(ownBytes(bytes))) throw new InvalidModule('not a valid WebAssembly module');
  const info = inspectModule(bytes);
  if (info.postMvpFeatures.length > 0) {
    throw new InvalidModule(`uses features beyond WebAssembly MVP: ${info.postMvpFeatures.join(', ')}`, { features: info.postMvpFeatures });
  }
  if (info.hasStartFunction) throw new InvalidModule('module has a start function');

  const required = requiredHostFunctions(info);
  const offered = new Set(options.hostFunctions ?? ALL_HOST_FUNCTIONS);
  const missing = required.filter((name) => !offered.has(name));
  if (missing.length > 0) throw new MissingHostFunction(missing);

  const memoryExport = info.exports.find((e) => e.name === 'memory');
  if (memoryExport?.kind !== 'memory' || info.memories.length !== 1) {
    throw new InvalidModule('module must define its one memory and export it as "memory"');
  }
  const entry = info.exports.find((e) => e.name === options.entryPoint);
  if (entry?.kind !== 'function' || !sameSignature(entry.type, [], [])) {
    throw new InvalidModule(`entry point ${JSON.stringify(options.entryPoint)} must be an exported function () -> ()`);
  }

  const memoryLimitPages = Math.floor(options.memoryLimitBytes / WASM_PAGE_BYTES);
  const { initialPages } = info.memories[0];
  if (initialPages > memoryLimitPages) throw new MemoryLimitExceeded(initialPages, memoryLimitPages);

  const module = new WebAssembly.Module(withMemoryMaximum(bytes, memoryLimitPages));
  return { module, info, memoryLimitPages, requiredHostFunctions: required };
}
