import { ValidationError } from '@wasmbed/errors';
import { buildProvisioningImage, isGatewayEndpoint, MAX_CA_BUNDLE_BYTES, PROVISIONING_AREA_BYTES, type ProvisioningInput } from './provisioning-image';

/** Bitwise CRC-32 (IEEE 802.3, reflected, as zlib's): independent of the implementation under test. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const fill = (length: number, value: number) => new Uint8Array(length).fill(value);
const input = (overrides: Partial<ProvisioningInput> = {}): ProvisioningInput => ({
  endpoint: 'localhost:4423',
  keySeed: fill(32, 0x11),
  rngSeed: fill(32, 0x22),
  ...overrides,
});
// A DER SEQUENCE header is all the image checks of a CA certificate.
const fakeDer = (length: number, value: number) => Uint8Array.from([0x30, ...fill(length - 1, value)]);

describe('provisioning image', () => {
  it('writes the endpoint record at +0x000 as u32 LE length + text', () => {
    const image = buildProvisioningImage(input({ endpoint: '10.42.0.12:8081' }));
    expect(image.length).toBe(PROVISIONING_AREA_BYTES);
    expect(image.readUInt32LE(0)).toBe(15);
    expect(image.subarray(4, 19).toString('latin1')).toBe('10.42.0.12:8081');
    expect(image.subarray(19, 0x200).every((b) => b === 0)).toBe(true);
  });

  it('writes the identity block at +0x200: magic, version, seeds, certificate and its CRC-32', () => {
    const cert = fakeDer(300, 0x33);
    const image = buildProvisioningImage(input({ certificateDer: cert }));
    const block = image.subarray(0x200);
    expect(block.subarray(0, 4).toString('latin1')).toBe('WBID');
    expect(block.readUInt16LE(0x04)).toBe(1);
    expect(block.readUInt16LE(0x06)).toBe(0);
    expect(block.subarray(0x08, 0x28)).toEqual(Buffer.from(fill(32, 0x11)));
    expect(block.subarray(0x28, 0x48)).toEqual(Buffer.from(fill(32, 0x22)));
    expect(block.readUInt16LE(0x48)).toBe(300);
    expect(block.readUInt16LE(0x4a)).toBe(0);
    expect(block.subarray(0x4c, 0x4c + 300)).toEqual(Buffer.from(cert));
    expect(block.readUInt32LE(0x4c + 300)).toBe(crc32(block.subarray(0, 0x4c + 300)));
    // Nothing after the CRC, and no trust block without CAs.
    expect(image.subarray(0x200 + 0x4c + 304).every((b) => b === 0)).toBe(true);
  });

  it('writes the trust block at +0xb00 with the CA certificates back to back and their CRC-32', () => {
    const cas = [fakeDer(200, 0x44), fakeDer(150, 0x55)];
    const image = buildProvisioningImage(input({ trustedCaDers: cas }));
    const trust = image.subarray(0xb00);
    expect(trust.subarray(0, 4).toString('latin1')).toBe('WBCA');
    expect(trust.readUInt16LE(4)).toBe(1);
    expect(trust.readUInt16LE(6)).toBe(350);
    expect(trust.subarray(8, 358)).toEqual(Buffer.concat(cas));
    expect(trust.readUInt32LE(358)).toBe(crc32(trust.subarray(0, 358)));
    // Without a certificate the identity block is 0x4c + CRC.
    expect(image.readUInt16LE(0x248)).toBe(0);
    expect(image.readUInt32LE(0x24c)).toBe(crc32(image.subarray(0x200, 0x24c)));
  });

  it('writes the publisher block at +0x140: magic, version, key count, the keys and their CRC-32', () => {
    const keys = [fill(32, 0x66), fill(32, 0x77)];
    const image = buildProvisioningImage(input({ endpoint: `${'a'.repeat(250)}.b:65535`, publisherKeys: keys }));
    const block = image.subarray(0x140);
    expect(block.subarray(0, 4).toString('latin1')).toBe('WBPK');
    expect(block.readUInt16LE(4)).toBe(1);
    expect(block.readUInt16LE(6)).toBe(2);
    expect(block.subarray(8, 72)).toEqual(Buffer.concat(keys));
    expect(block.readUInt32LE(72)).toBe(crc32(block.subarray(0, 72)));
    expect(image.subarray(0x140 + 76, 0x200).every((b) => b === 0)).toBe(true);
    // The longest endpoint ends before it.
    expect(image.readUInt32LE(0)).toBe(258);
    expect(image.subarray(4 + 258, 0x140).every((b) => b === 0)).toBe(true);
    // Without keys the area there stays zero (any publisher).
    expect(buildProvisioningImage(input()).subarray(0x140, 0x200).every((b) => b === 0)).toBe(true);
  });

  it('fits the largest certificate and CA bundle the layout allows', () => {
    const image = buildProvisioningImage(input({ certificateDer: fakeDer(2048, 1), trustedCaDers: [fakeDer(MAX_CA_BUNDLE_BYTES, 2)] }));
    expect(image.readUInt16LE(0x248)).toBe(2048);
    expect(image.readUInt16LE(0xb06)).toBe(MAX_CA_BUNDLE_BYTES);
    expect(image.readUInt32LE(PROVISIONING_AREA_BYTES - 4)).toBe(crc32(image.subarray(0xb00, PROVISIONING_AREA_BYTES - 4)));
  });

  it.each([
    ['an endpoint without a port', { endpoint: 'localhost' }],
    ['port 0', { endpoint: 'localhost:0' }],
    ['a port above 65535', { endpoint: 'localhost:65536' }],
    ['a space in the host', { endpoint: 'bad host:1' }],
    ['a short key seed', { keySeed: fill(31, 1) }],
    ['an all-zero key seed', { keySeed: fill(32, 0) }],
    ['an all-zero RNG seed', { rngSeed: fill(32, 0) }],
    ['a certificate over 2048 bytes', { certificateDer: fakeDer(2049, 1) }],
    ['a CA that is not DER', { trustedCaDers: [Uint8Array.from([0x2d, 0x2d])] }],
    ['a CA bundle that does not fit', { trustedCaDers: [fakeDer(MAX_CA_BUNDLE_BYTES + 1, 1)] }],
    ['a publisher key that is not 32 bytes', { publisherKeys: [fill(33, 1)] }],
    ['more publisher keys than the block holds', { publisherKeys: [1, 2, 3, 4, 5].map((n) => fill(32, n)) }],
  ])('refuses %s', (_what, overrides) => {
    expect(() => buildProvisioningImage(input(overrides))).toThrow(ValidationError);
  });

  it('accepts the endpoint syntax of the protocol', () => {
    for (const ok of ['gw-1.wasmbed.test:4423', '127.0.0.1:1', '[::1]:65535']) expect(isGatewayEndpoint(ok)).toBe(true);
    for (const bad of ['gw:', ':4423', 'gw:04423', `${'a'.repeat(254)}:1`, 'gw_1:4423']) expect(isGatewayEndpoint(bad)).toBe(false);
  });
});
