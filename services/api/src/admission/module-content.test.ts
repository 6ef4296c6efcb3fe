import { MAX_MODULE_BYTES, sha256Hex } from '@wasmbed/device-bus';
import { checkInlineModule } from './module-content';

// The smallest valid module: magic and version, no sections.
const EMPTY_MODULE = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const declared = (bytes: Uint8Array) => ({ sha256: sha256Hex(bytes), sizeBytes: bytes.length });

describe('checkInlineModule', () => {
  it('accepts valid WebAssembly with its own size and hash', () => {
    expect(() => checkInlineModule(declared(EMPTY_MODULE), EMPTY_MODULE)).not.toThrow();
  });

  it('refuses a size or hash other than the declared one, naming both', () => {
    expect(() => checkInlineModule({ ...declared(EMPTY_MODULE), sizeBytes: 9 }, EMPTY_MODULE)).toThrow(
      'spec.module.sizeBytes is 9 but spec.module.inlineContent has 8 bytes',
    );
    const other = 'ab'.repeat(32);
    expect(() => checkInlineModule({ ...declared(EMPTY_MODULE), sha256: other }, EMPTY_MODULE)).toThrow(
      `spec.module.sha256 is ${other} but the SHA-256 of spec.module.inlineContent is ${sha256Hex(EMPTY_MODULE)}`,
    );
  });

  it('refuses bytes that are not WebAssembly, with the compiler reason', () => {
    const broken = Uint8Array.from([...EMPTY_MODULE.subarray(0, 4), 0x02, 0x00, 0x00, 0x00]);
    let caught: unknown;
    try {
      checkInlineModule(declared(broken), broken);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/^module is not valid WebAssembly: .*version/i) });
  });

  it('refuses more than MAX_MODULE_BYTES before hashing anything', () => {
    const big = new Uint8Array(MAX_MODULE_BYTES + 1);
    expect(() => checkInlineModule({ sha256: '00'.repeat(32), sizeBytes: big.length }, big)).toThrow(`at most ${MAX_MODULE_BYTES} bytes`);
  });
});
