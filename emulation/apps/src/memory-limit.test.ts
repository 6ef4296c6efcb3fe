import { InvalidModule, inspectModule, withMemoryMaximum } from './index';
import { buildModule, minimalApp } from './test-support/wasm-builder';

describe('withMemoryMaximum', () => {
  it('adds a maximum to a memory that has none, leaving every other section alone', () => {
    const original = minimalApp({ memory: [1], globals: [[0x7f, 0x00, 0x41, 5, 0x0b]] });
    const capped = withMemoryMaximum(original, 3);
    expect(WebAssembly.validate(capped)).toBe(true);
    const before = inspectModule(original);
    const after = inspectModule(capped);
    expect(after.memories).toEqual([{ initialPages: 1, maximumPages: 3 }]);
    expect({ ...after, memories: [] }).toEqual({ ...before, memories: [] });
    expect(capped.length).toBe(original.length + 1);
  });

  it('lowers a larger maximum and keeps a smaller one untouched', () => {
    expect(inspectModule(withMemoryMaximum(minimalApp({ memory: [1, 1000] }), 16)).memories[0].maximumPages).toBe(16);
    const small = minimalApp({ memory: [1, 2] });
    expect(withMemoryMaximum(small, 16)).toBe(small);
  });

  it('re-encodes the section size when the limits need more LEB128 bytes', () => {
    const capped = withMemoryMaximum(minimalApp({ memory: [200] }), 65_536);
    expect(WebAssembly.validate(capped)).toBe(true);
    expect(inspectModule(capped).memories).toEqual([{ initialPages: 200, maximumPages: 65_536 }]);
  });

  it('needs a module that defines its memory', () => {
    const noMemory = buildModule({ types: [[[], []]], funcs: [{ type: 0, body: [] }] });
    expect(() => withMemoryMaximum(noMemory, 1)).toThrow(InvalidModule);
  });
});
