import { base64UrlPadded, chunkSubject, metaSubject, objectDigest, splitChunks } from './object-store-format';

describe('object store layout', () => {
  it('encodes names as padded base64url like the Go client', () => {
    expect(base64UrlPadded(Buffer.from('a'))).toBe('YQ==');
    expect(base64UrlPadded(Buffer.from([0xfb, 0xff]))).toBe('-_8=');
    expect(metaSubject('b', 'a')).toBe('$O.b.M.YQ==');
    expect(chunkSubject('b', 'N1')).toBe('$O.b.C.N1');
  });

  it('writes the digest as SHA-256=<base64url>', () => {
    // SHA-256 of the empty string.
    expect(objectDigest(new Uint8Array(0))).toBe('SHA-256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('splits into chunks of at most the size asked, covering every byte once', () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);
    expect(splitChunks(bytes, 4).map((c) => [...c])).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(splitChunks(bytes, 10)).toHaveLength(1);
    expect(splitChunks(new Uint8Array(0), 4)).toHaveLength(0);
  });
});
