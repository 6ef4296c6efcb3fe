import { findClientHello } from './client-hello';

// A TLS 1.3 ClientHello record starts: 16 03 01 <len hi> <len lo> 01 ...
const hello = (length = 0x00c8) => Buffer.from([0x16, 0x03, 0x01, length >> 8, length & 0xff, 0x01, 0x00, 0x00, 0xc4, 0x03, 0x03]);
const appData = Buffer.from([0x17, 0x03, 0x03, 0x00, 0x13, 0xaa, 0xbb, 0xcc]);

describe('ClientHello detection', () => {
  it('finds a ClientHello record at the start or after the tail of an old session', () => {
    expect(findClientHello(hello())).toBe(0);
    expect(findClientHello(Buffer.concat([appData, hello()]))).toBe(appData.length);
  });

  it('ignores other records: application data, a ServerHello, an implausible length, a bad version', () => {
    expect(findClientHello(appData)).toBe(-1);
    expect(findClientHello(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00]))).toBe(-1);
    expect(findClientHello(hello(0x5000))).toBe(-1);
    expect(findClientHello(Buffer.from([0x16, 0x03, 0x05, 0x00, 0x20, 0x01]))).toBe(-1);
    expect(findClientHello(hello().subarray(0, 5))).toBe(-1);
  });

  it('starts looking at `from`', () => {
    const two = Buffer.concat([hello(), hello()]);
    expect(findClientHello(two, 1)).toBe(hello().length);
  });
});
