import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('gives the same text for objects that differ only in key order, at any depth', () => {
    const a = { b: 1, a: { y: [{ q: 1, p: 2 }], x: 'z' } };
    const b = { a: { x: 'z', y: [{ p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"z","y":[{"p":2,"q":1}]},"b":1}');
  });

  it('keeps array order and drops undefined members', () => {
    expect(canonicalJson({ l: [2, 1], u: undefined })).toBe('{"l":[2,1]}');
    expect(canonicalJson([{ b: 1, a: 2 }])).toBe('[{"a":2,"b":1}]');
  });
});
