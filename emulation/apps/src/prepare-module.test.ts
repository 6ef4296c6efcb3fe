import {
  InvalidModule,
  MemoryLimitExceeded,
  MissingHostFunction,
  WASM_PAGE_BYTES,
  inspectModule,
  prepareModule,
  type AppLoadError,
  type PrepareOptions,
} from './index';
import { I32, I64, buildModule, minimalApp, name } from './test-support/wasm-builder';

const OPTIONS: PrepareOptions = { entryPoint: 'run', memoryLimitBytes: 4 * WASM_PAGE_BYTES };
const APP_EXPORTS = [
  { name: 'memory', kind: 'memory', index: 0 },
  { name: 'run', kind: 'func', index: 1 },
] as const;

/** An app importing one function of the given signature, with run as function 1. */
function importing(module: string, field: string, params: number[], results: number[]): Uint8Array {
  return minimalApp({
    types: [[params, results], [[], []]],
    imports: [{ module, name: field, type: 0 }],
    funcs: [{ type: 1, body: [] }],
    exports: [...APP_EXPORTS],
  });
}

function loadError(bytes: Uint8Array, options: PrepareOptions = OPTIONS): AppLoadError {
  try {
    prepareModule(bytes, options);
  } catch (err) {
    return err as AppLoadError;
  }
  throw new Error('prepareModule accepted the module');
}

describe('prepareModule', () => {
  it('accepts an ABI-conforming module and caps its memory at the limit', () => {
    const prepared = prepareModule(importing('wasmbed', 'now_ms', [], [I64]), OPTIONS);
    expect(prepared.requiredHostFunctions).toEqual(['wasmbed.now_ms']);
    expect(prepared.memoryLimitPages).toBe(4);
    const instance = new WebAssembly.Instance(prepared.module, { wasmbed: { now_ms: () => 0n } });
    const memory = instance.exports.memory as WebAssembly.Memory;
    expect(memory.grow(3)).toBe(1);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it.each([
    ['not WebAssembly', new Uint8Array([1, 2, 3]), 'not a valid WebAssembly module'],
    ['a post-MVP feature', minimalApp({ funcs: [{ type: 0, body: [0x41, 0, 0xc0, 0x1a] }] }), 'uses features beyond WebAssembly MVP: sign-extension'],
    ['a start function', minimalApp({ start: 0 }), 'module has a start function'],
    ['an import from another module', importing('env', 'log', [I32, I32, I32], []), 'import "env.log": not a host function of the Wasmbed ABI'],
    ['an unknown host function', importing('wasmbed', 'exit', [I32], []), 'import "wasmbed.exit": not a host function of the Wasmbed ABI'],
    ['a wrong signature', importing('wasmbed', 'now_ms', [], [I32]), 'import "wasmbed.now_ms": signature () -> (i32) differs from () -> (i64)'],
    [
      'an imported memory',
      minimalApp({ memory: undefined, rawImports: [[...name('wasmbed'), ...name('memory'), 0x02, 0x00, 1]], exports: [{ name: 'run', kind: 'func', index: 0 }] }),
      'import "wasmbed.memory": only functions may be imported, not a memory',
    ],
    ['no exported memory', minimalApp({ exports: [{ name: 'run', kind: 'func', index: 0 }] }), 'module must define its one memory and export it as "memory"'],
    ['no memory at all', buildModule({ types: [[[], []]], funcs: [{ type: 0, body: [] }], exports: [{ name: 'run', kind: 'func', index: 0 }] }), 'export it as "memory"'],
    ['no entry point', minimalApp({ exports: [{ name: 'memory', kind: 'memory', index: 0 }] }), 'entry point "run" must be an exported function () -> ()'],
    [
      'an entry point with parameters',
      minimalApp({ types: [[[I32], []]], funcs: [{ type: 0, body: [] }] }),
      'entry point "run" must be an exported function () -> ()',
    ],
  ])('refuses %s as an invalid module', (_what, bytes, message) => {
    const err = loadError(bytes);
    expect(err).toBeInstanceOf(InvalidModule);
    expect(err.reason).toBe('invalid_module');
    expect(err.message).toContain(message);
  });

  it('uses the entry point the manifest names', () => {
    const bytes = minimalApp({ exports: [{ name: 'memory', kind: 'memory', index: 0 }, { name: '_start', kind: 'func', index: 0 }] });
    expect(() => prepareModule(bytes, { ...OPTIONS, entryPoint: '_start' })).not.toThrow();
    expect(loadError(bytes)).toBeInstanceOf(InvalidModule);
  });

  it('refuses a module whose host functions this host lacks', () => {
    const err = loadError(importing('wasmbed', 'random_u32', [], [I32]), { ...OPTIONS, hostFunctions: ['wasmbed.log'] });
    expect(err).toBeInstanceOf(MissingHostFunction);
    expect(err).toMatchObject({ reason: 'missing_host_function', code: 'failed_precondition', missing: ['wasmbed.random_u32'] });
  });

  it('refuses initial memory above the limit, whole pages counting', () => {
    const bytes = minimalApp({ memory: [3] });
    expect(() => prepareModule(bytes, { ...OPTIONS, memoryLimitBytes: 3 * WASM_PAGE_BYTES })).not.toThrow();
    const err = loadError(bytes, { ...OPTIONS, memoryLimitBytes: 3 * WASM_PAGE_BYTES - 1 });
    expect(err).toBeInstanceOf(MemoryLimitExceeded);
    expect(err).toMatchObject({ reason: 'memory_limit', code: 'resource_exhausted', initialPages: 3, limitPages: 2 });
  });

  it('keeps a declared maximum below the limit', () => {
    const prepared = prepareModule(minimalApp({ memory: [1, 2] }), OPTIONS);
    const memory = new WebAssembly.Instance(prepared.module, {}).exports.memory as WebAssembly.Memory;
    expect(() => memory.grow(2)).toThrow(RangeError);
    expect(inspectModule(minimalApp({ memory: [1, 2] })).memories).toEqual([{ initialPages: 1, maximumPages: 2 }]);
  });
});
