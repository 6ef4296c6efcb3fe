import fc from 'fast-check';
import { InvalidModule, inspectModule, loadExampleApp, type PostMvpFeature } from './index';
import { I32, I64, buildModule, minimalApp, uleb } from './test-support/wasm-builder';

const F32_ZERO = [0x43, 0, 0, 0, 0];
const ZERO = [0x41, 0];

/** A valid module whose run body is `body`. */
const withBody = (body: number[], extra: Parameters<typeof minimalApp>[0] = {}) => minimalApp({ funcs: [{ type: 0, body }], ...extra });

const POST_MVP: [PostMvpFeature, string, Uint8Array<ArrayBuffer>][] = [
  ['sign-extension', 'i32.extend8_s', withBody([...ZERO, 0xc0, 0x1a])],
  ['saturating-float-to-int', 'i32.trunc_sat_f32_s', withBody([...F32_ZERO, 0xfc, 0x00, 0x1a])],
  ['bulk-memory', 'memory.fill', withBody([...ZERO, ...ZERO, ...ZERO, 0xfc, 0x0b, 0x00])],
  ['bulk-memory', 'memory.copy', withBody([...ZERO, ...ZERO, ...ZERO, 0xfc, 0x0a, 0x00, 0x00])],
  ['bulk-memory', 'a passive data segment', minimalApp({ raw: { 12: [1], 11: [1, 0x01, 0] } })],
  ['simd', 'v128.const', withBody([0xfd, 0x0c, ...new Array(16).fill(0), 0x1a])],
  ['simd', 'a v128 local', withBody([], { funcs: [{ type: 0, body: [], locals: [[1, 0x7b]] }] })],
  ['reference-types', 'ref.null', withBody([0xd0, 0x70, 0x1a])],
  ['reference-types', 'typed select', withBody([...ZERO, ...ZERO, ...ZERO, 0x1c, 1, I32, 0x1a])],
  ['multi-value', 'a function type with two results', minimalApp({
    types: [[[], []], [[], [I32, I32]]],
    funcs: [{ type: 0, body: [] }, { type: 1, body: [...ZERO, ...ZERO] }],
  })],
  ['multi-value', 'a block with a type index', minimalApp({
    types: [[[], []], [[I32], [I32]]],
    funcs: [{ type: 0, body: [...ZERO, 0x02, 1, 0x0b, 0x1a] }],
  })],
  ['mutable-globals', 'an exported mutable global', minimalApp({
    globals: [[I32, 0x01, ...ZERO, 0x0b]],
    exports: [{ name: 'memory', kind: 'memory', index: 0 }, { name: 'run', kind: 'func', index: 0 }, { name: 'g', kind: 'global', index: 0 }],
  })],
  ['threads', 'a shared memory', minimalApp({ memory: undefined, raw: { 5: [1, 0x03, 1, 1] } })],
  ['tail-call', 'return_call', withBody([0x12, 0])],
];

describe('inspectModule', () => {
  it('reads imports, exports with their types, memory limits and the start function', () => {
    const bytes = buildModule({
      types: [[[I32, I32, I32], []], [[], [I64]], [[], []]],
      imports: [
        { module: 'wasmbed', name: 'log', type: 0 },
        { module: 'wasmbed', name: 'now_ms', type: 1 },
      ],
      funcs: [{ type: 2, body: [] }],
      memory: [2, 300],
      exports: [
        { name: 'memory', kind: 'memory', index: 0 },
        { name: 'run', kind: 'func', index: 2 },
        { name: 'clock', kind: 'func', index: 1 },
      ],
      start: 2,
    });
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(inspectModule(bytes)).toEqual({
      imports: [
        { module: 'wasmbed', name: 'log', kind: 'function', type: { params: ['i32', 'i32', 'i32'], results: [] } },
        { module: 'wasmbed', name: 'now_ms', kind: 'function', type: { params: [], results: ['i64'] } },
      ],
      exports: [
        { name: 'memory', kind: 'memory', type: null },
        { name: 'run', kind: 'function', type: { params: [], results: [] } },
        { name: 'clock', kind: 'function', type: { params: [], results: ['i64'] } },
      ],
      memories: [{ initialPages: 2, maximumPages: 300 }],
      hasStartFunction: true,
      postMvpFeatures: [],
    });
  });

  it('finds no post-MVP feature in a module using every kind of MVP immediate', () => {
    const body = [
      0x02, 0x40, 0x03, 0x7f, ...ZERO, ...ZERO, 0x0d, 0, 0x0b, 0x1a, 0x0b, // block, loop (result i32), br_if
      ...ZERO, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, // if/else
      0x02, 0x40, ...ZERO, 0x0e, 1, 0, 0, 0x0b, // br_table
      ...ZERO, 0x28, 2, ...uleb(300), 0x1a, // i32.load offset=300
      0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x1a, // i64.const (multi-byte)
      0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a, // f64.const
      0x3f, 0, 0x40, 0, 0x1a, // memory.size, memory.grow
      0x23, 0, 0x24, 0, // global.get/set
      0x41, 0x7f, 0x21, 0, 0x20, 0, 0x22, 0, 0x1a, // local.set/get/tee
      ...ZERO, ...ZERO, ...ZERO, 0x1b, 0x1a, // select
    ];
    const bytes = minimalApp({
      funcs: [{ type: 0, body, locals: [[1, I32]] }],
      globals: [[I32, 0x01, 0x41, 0, 0x0b]],
    });
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(inspectModule(bytes).postMvpFeatures).toEqual([]);
  });

  it.each(POST_MVP)('reports %s (%s)', (feature, _what, bytes) => {
    expect(WebAssembly.validate(bytes)).toBe(true); // the engine accepts it; the ABI must not
    expect(inspectModule(bytes).postMvpFeatures).toContain(feature);
  });

  it('rejects bytes that are not a WebAssembly binary', () => {
    expect(() => inspectModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).toThrow(InvalidModule);
  });

  it('fails only with InvalidModule on any truncation or corruption of a real module', () => {
    const hello = loadExampleApp('hello');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: hello.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.boolean(), (at, byte, cut) => {
        const bytes = cut ? hello.slice(0, at) : Uint8Array.from(hello, (b, i) => (i === at ? byte : b));
        try {
          inspectModule(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidModule);
        }
      }),
      { numRuns: 500 },
    );
  });
});
