#!/usr/bin/env node
// Builds the 4 KiB provisioning image a QEMU device loads at its provisioning
// area (`-device loader,file=<out>,addr=<area>`; layout in firmware/README.md):
// the endpoint record at +0x000 (u32 LE length + text, as in the seeds) and the
// identity block at +0x200 (magic "WBID", version, Ed25519 key seed, RNG seed,
// certificate DER, CRC-32) and, with --ca-der, the trust block at +0xb00 (magic
// "WBCA", version, the platform CA certificates the device verifies its gateway
// against, CRC-32) and, with --publisher-key, the publisher block at +0x140
// (magic "WBPK", version, count, the app publishers' Ed25519 keys, CRC-32). Prints a JSON summary with the device public key.
//
//   node provision.mjs --out prov.bin --endpoint 127.0.0.1:4423
//        [--key-seed <64 hex>] [--rng-seed <64 hex>] [--cert-der cert.der] [--ca-der ca.der ...] [--publisher-key <64 hex> ...]
// Seeds default to fresh random bytes.
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { crc32 } from 'node:zlib';

const AREA_BYTES = 0x1000;
const IDENTITY_OFFSET = 0x200;
const HEADER_BYTES = 0x4c;
const MAX_CERT_BYTES = 2048;
const TRUST_OFFSET = 0xb00;
// Optional: the Ed25519 keys of app publishers the device trusts.
const PUBLISHER_OFFSET = 0x140;
const MAX_PUBLISHERS = 4;
const TRUST_HEADER_BYTES = 8;
const MAX_CA_BYTES = AREA_BYTES - TRUST_OFFSET - TRUST_HEADER_BYTES - 4;
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ENDPOINT = /^(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253}):[1-9][0-9]{0,4}$/;

function fail(message) {
  console.error(`provision: ${message}`);
  process.exit(2);
}

function seed(hex, name) {
  if (hex === undefined) return randomBytes(32);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) fail(`--${name} must be 64 hex digits`);
  return Buffer.from(hex, 'hex');
}

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    endpoint: { type: 'string' },
    'key-seed': { type: 'string' },
    'rng-seed': { type: 'string' },
    'cert-der': { type: 'string' },
    'ca-der': { type: 'string', multiple: true },
    'publisher-key': { type: 'string', multiple: true },
  },
});
if (!values.out || !values.endpoint) fail('usage: --out <file> --endpoint <host:port> [--key-seed hex] [--rng-seed hex] [--cert-der file] [--ca-der file ...]');
const endpoint = Buffer.from(values.endpoint, 'utf8');
const port = Number(values.endpoint.slice(values.endpoint.lastIndexOf(':') + 1));
if (!ENDPOINT.test(values.endpoint) || port > 65535 || endpoint.length > 259) fail(`endpoint "${values.endpoint}" is not host:port`);
const keySeed = seed(values['key-seed'], 'key-seed');
const rngSeed = seed(values['rng-seed'], 'rng-seed');
const cert = values['cert-der'] ? readFileSync(values['cert-der']) : Buffer.alloc(0);
if (cert.length > MAX_CERT_BYTES) fail(`certificate of ${cert.length} bytes exceeds ${MAX_CERT_BYTES}`);
const cas = (values['ca-der'] ?? []).map((file) => readFileSync(file));
if (cas.some((ca) => ca[0] !== 0x30)) fail('--ca-der files must be DER certificates');
const bundle = Buffer.concat(cas);
if (bundle.length > MAX_CA_BYTES) fail(`CA bundle of ${bundle.length} bytes exceeds ${MAX_CA_BYTES}`);

const publishers = (values['publisher-key'] ?? []).map((hex) => seed(hex, 'publisher-key'));
if (publishers.length > MAX_PUBLISHERS) fail(`at most ${MAX_PUBLISHERS} --publisher-key`);

const area = Buffer.alloc(AREA_BYTES);
area.writeUInt32LE(endpoint.length, 0);
endpoint.copy(area, 4);

const block = area.subarray(IDENTITY_OFFSET);
block.write('WBID', 0, 'latin1');
block.writeUInt16LE(1, 0x04);
keySeed.copy(block, 0x08);
rngSeed.copy(block, 0x28);
block.writeUInt16LE(cert.length, 0x48);
cert.copy(block, HEADER_BYTES);
block.writeUInt32LE(crc32(block.subarray(0, HEADER_BYTES + cert.length)), HEADER_BYTES + cert.length);

if (bundle.length > 0) {
  const trust = area.subarray(TRUST_OFFSET);
  trust.write('WBCA', 0, 'latin1');
  trust.writeUInt16LE(1, 0x04);
  trust.writeUInt16LE(bundle.length, 0x06);
  bundle.copy(trust, TRUST_HEADER_BYTES);
  trust.writeUInt32LE(crc32(trust.subarray(0, TRUST_HEADER_BYTES + bundle.length)), TRUST_HEADER_BYTES + bundle.length);
}

if (publishers.length > 0) {
  const pk = area.subarray(PUBLISHER_OFFSET);
  pk.write('WBPK', 0, 'latin1');
  pk.writeUInt16LE(1, 0x04);
  pk.writeUInt16LE(publishers.length, 0x06);
  Buffer.concat(publishers).copy(pk, 8);
  pk.writeUInt32LE(crc32(pk.subarray(0, 8 + 32 * publishers.length)), 8 + 32 * publishers.length);
}

writeFileSync(values.out, area);
const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, keySeed]), format: 'der', type: 'pkcs8' });
const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(12);
console.log(
  JSON.stringify({ file: values.out, bytes: AREA_BYTES, endpoint: values.endpoint, publicKey: publicKey.toString('hex'), certBytes: cert.length, caBytes: bundle.length, publisherKeys: publishers.length }),
);
