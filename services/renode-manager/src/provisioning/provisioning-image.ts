import { crc32 } from 'node:zlib';
import { ValidationError } from '@wasmbed/errors';

// The layout of firmware/README.md ("Provisioning area"), as firmware/tools/provision.mjs
// writes it; provisioning-image.int.test.ts compares the bytes with that tool's.
export const PROVISIONING_AREA_BYTES = 0x1000;
const IDENTITY_OFFSET = 0x200;
const IDENTITY_HEADER_BYTES = 0x4c;
export const MAX_CERTIFICATE_BYTES = 2048;
const TRUST_OFFSET = 0xb00;
const TRUST_HEADER_BYTES = 8;
export const MAX_CA_BUNDLE_BYTES = PROVISIONING_AREA_BYTES - TRUST_OFFSET - TRUST_HEADER_BYTES - 4;
const PUBLISHER_OFFSET = 0x140;
const PUBLISHER_HEADER_BYTES = 8;
export const MAX_PUBLISHER_KEYS = 4;
const SEED_BYTES = 32;
const ED25519_KEY_BYTES = 32;
const MAX_ENDPOINT_BYTES = 259;
const ENDPOINT = /^(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253}):[1-9][0-9]{0,4}$/;

export interface ProvisioningInput {
  /** Gateway endpoint `host:port` the device dials (and checks the gateway's certificate against). */
  readonly endpoint: string;
  /** Ed25519 private key seed (RFC 8032). */
  readonly keySeed: Uint8Array;
  readonly rngSeed: Uint8Array;
  /** The device certificate (DER); none = the device makes a self-signed one. */
  readonly certificateDer?: Uint8Array;
  /** Platform CA certificates (DER) the device verifies its gateway against; none = no trust block. */
  readonly trustedCaDers?: readonly Uint8Array[];
  /** Ed25519 keys of the app publishers the device accepts manifests from; none = no publisher block (any publisher). */
  readonly publisherKeys?: readonly Uint8Array[];
}

function requireSeed(seed: Uint8Array, field: string): Buffer {
  if (seed.length !== SEED_BYTES || seed.every((b) => b === 0)) throw new ValidationError(`${field} must be ${SEED_BYTES} bytes, not all zero`, [field]);
  return Buffer.from(seed);
}

/** The firmware's endpoint syntax (protocol §6.1): DNS name, IPv4 or [IPv6], port 1-65535, at most 259 bytes. */
export function isGatewayEndpoint(endpoint: string): boolean {
  const port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
  return ENDPOINT.test(endpoint) && port <= 65_535 && Buffer.byteLength(endpoint, 'utf8') <= MAX_ENDPOINT_BYTES;
}

function requireEndpoint(endpoint: string): Buffer {
  if (!isGatewayEndpoint(endpoint)) {
    throw new ValidationError(`gateway endpoint '${endpoint}' is not host:port (DNS name, IPv4 or [IPv6], port 1-65535)`, ['endpoint']);
  }
  return Buffer.from(endpoint, 'utf8');
}

/** Magic, version, length-prefixed payload and CRC-32: the identity and trust blocks share this framing. */
function writeBlock(area: Buffer, offset: number, magic: string, header: Buffer, payload: Buffer): void {
  const block = area.subarray(offset);
  block.write(magic, 0, 'latin1');
  block.writeUInt16LE(1, 0x04);
  header.copy(block, 0x06);
  const end = 0x06 + header.length;
  payload.copy(block, end);
  block.writeUInt32LE(crc32(block.subarray(0, end + payload.length)), end + payload.length);
}

/**
 * The 4 KiB image the emulator loads at the board's provisioning area: the endpoint
 * record (u32 LE length + text, the seeds' layout), the identity block "WBID" (key
 * seed, RNG seed, certificate, CRC-32), with CAs the trust block "WBCA", and with
 * publisher keys the publisher block "WBPK" (the keys app manifests must be signed by).
 * Holds the device's private key seed: write it 0600 and never log it.
 */
export function buildProvisioningImage(input: ProvisioningInput): Buffer {
  const endpoint = requireEndpoint(input.endpoint);
  const keySeed = requireSeed(input.keySeed, 'keySeed');
  const rngSeed = requireSeed(input.rngSeed, 'rngSeed');
  const cert = Buffer.from(input.certificateDer ?? new Uint8Array(0));
  if (cert.length > MAX_CERTIFICATE_BYTES) throw new ValidationError(`certificate of ${cert.length} bytes exceeds ${MAX_CERTIFICATE_BYTES}`, ['certificateDer']);
  const cas = (input.trustedCaDers ?? []).map((ca) => Buffer.from(ca));
  if (cas.some((ca) => ca[0] !== 0x30)) throw new ValidationError('trusted CA certificates must be DER (a SEQUENCE)', ['trustedCaDers']);
  const bundle = Buffer.concat(cas);
  if (bundle.length > MAX_CA_BUNDLE_BYTES) throw new ValidationError(`CA bundle of ${bundle.length} bytes exceeds ${MAX_CA_BUNDLE_BYTES}`, ['trustedCaDers']);

  const publishers = (input.publisherKeys ?? []).map((key) => Buffer.from(key));
  if (publishers.length > MAX_PUBLISHER_KEYS) throw new ValidationError(`at most ${MAX_PUBLISHER_KEYS} publisher keys fit, got ${publishers.length}`, ['publisherKeys']);
  if (publishers.some((key) => key.length !== ED25519_KEY_BYTES)) throw new ValidationError(`publisher keys must be ${ED25519_KEY_BYTES}-byte Ed25519 public keys`, ['publisherKeys']);

  const area = Buffer.alloc(PROVISIONING_AREA_BYTES);
  area.writeUInt32LE(endpoint.length, 0);
  endpoint.copy(area, 4);

  // Identity header after magic+version: reserved u16, key seed, RNG seed, cert length u16, reserved u16.
  const identity = Buffer.alloc(IDENTITY_HEADER_BYTES - 0x06);
  keySeed.copy(identity, 0x08 - 0x06);
  rngSeed.copy(identity, 0x28 - 0x06);
  identity.writeUInt16LE(cert.length, 0x48 - 0x06);
  writeBlock(area, IDENTITY_OFFSET, 'WBID', identity, cert);

  if (bundle.length > 0) {
    const trust = Buffer.alloc(TRUST_HEADER_BYTES - 0x06);
    trust.writeUInt16LE(bundle.length, 0);
    writeBlock(area, TRUST_OFFSET, 'WBCA', trust, bundle);
  }
  if (publishers.length > 0) {
    const header = Buffer.alloc(PUBLISHER_HEADER_BYTES - 0x06);
    header.writeUInt16LE(publishers.length, 0);
    writeBlock(area, PUBLISHER_OFFSET, 'WBPK', header, Buffer.concat(publishers));
  }
  return area;
}
