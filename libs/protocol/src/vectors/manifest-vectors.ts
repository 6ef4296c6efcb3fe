import { encodeManifest, type Manifest } from '../manifest/manifest';
import { moduleSha256, signManifest } from '../manifest/signing';
import { bytesToHex, toJsonForm } from './json-form';
import { canonical, concat, entries, head, indefiniteMap, mapInOrder } from './raw-cbor';
import { MINIMAL_MANIFEST, RESTARTING_MANIFEST, OTHER_SEED, PUBLISHER_KEY, PUBLISHER_SEED, SAMPLE_MANIFEST, SAMPLE_MANIFEST_BYTES, SAMPLE_MODULE } from './samples';
import { VECTOR_FORMAT, type ManifestVector, type ManifestVectorFile } from './vector-types';

const hex = bytesToHex;
const publicKey = hex(PUBLISHER_KEY);

function signed(name: string, description: string, manifest: Manifest): ManifestVector {
  const bytes = encodeManifest(manifest);
  return { name, description, hex: hex(bytes), signature: hex(signManifest(bytes, PUBLISHER_SEED)), publicKey, decoded: toJsonForm(manifest) };
}

/** Encodings of SAMPLE_MANIFEST (or close variants) that a strict decoder must refuse. */
function notDeterministic(): ManifestVector[] {
  const m = SAMPLE_MANIFEST;
  const all = entries(m);
  const invalid = (name: string, description: string, bytes: Uint8Array): ManifestVector => ({
    name,
    description,
    hex: hex(bytes),
    error: 'invalid_manifest',
  });
  const keyText = (encoded: Uint8Array) => Buffer.from(encoded.subarray(1)).toString('latin1');
  const alphabetical = entries(m).sort(([a], [b]) => (keyText(a) < keyText(b) ? -1 : 1));
  const withConfig = (config: Uint8Array) => mapInOrder(entries(m, { config }));
  return [
    invalid('unsorted-keys', 'Map keys in reverse order.', mapInOrder([...all].reverse())),
    invalid(
      'alphabetical-keys',
      'Keys sorted alphabetically instead of by their encoded bytes (shorter keys first).',
      mapInOrder(alphabetical),
    ),
    invalid('non-shortest-integer', 'revision 3 encoded as 0x18 0x03.', mapInOrder(entries(m, { revision: head(0, 3, 1) }))),
    invalid(
      'non-shortest-length',
      'name "blinky" with a 1-byte length argument (0x78 0x06).',
      mapInOrder(entries(m, { name: concat(head(3, 6, 1), Buffer.from('blinky')) })),
    ),
    invalid('non-shortest-map-header', 'The top-level map count as 0xb8 0x09.', concat(head(5, all.length, 1), ...all.flat())),
    invalid('indefinite-map', 'The top-level map with indefinite length.', indefiniteMap(all)),
    invalid(
      'indefinite-text',
      'name as an indefinite-length text string.',
      mapInOrder(entries(m, { name: concat(Uint8Array.of(0x7f), canonical('blinky'), Uint8Array.of(0xff)) })),
    ),
    invalid(
      'indefinite-array',
      'config.args as an indefinite-length array.',
      withConfig(mapInOrder(entries(m.config, { args: concat(Uint8Array.of(0x9f), canonical('--verbose'), Uint8Array.of(0xff)) }))),
    ),
    invalid(
      'duplicate-key',
      'name twice.',
      mapInOrder([...all, [canonical('name'), canonical('other')] as [Uint8Array, Uint8Array]].sort(([a], [b]) => Buffer.compare(a, b))),
    ),
    invalid('unknown-field', 'An extra top-level field "publisher".', mapInOrder(entries(m, { publisher: canonical('acme') }))),
    invalid('unknown-config-field', 'An extra field in config.', withConfig(mapInOrder(entries(m.config, { cwd: canonical('/') })))),
    invalid('missing-field', 'cpuTimeLimitMs left out.', mapInOrder(entries(m, { cpuTimeLimitMs: undefined }))),
    invalid(
      'host-functions-unsorted',
      'hostFunctions not in ascending order (a set has one encoding).',
      mapInOrder(entries(m, { hostFunctions: canonical([...m.hostFunctions].reverse()) })),
    ),
    invalid(
      'host-functions-repeated',
      'hostFunctions naming one function twice.',
      mapInOrder(entries(m, { hostFunctions: canonical(['wasmbed.log', 'wasmbed.log']) })),
    ),
    invalid('float', 'cpuTimeLimitMs as the half-precision float 50.0.', mapInOrder(entries(m, { cpuTimeLimitMs: Uint8Array.of(0xf9, 0x52, 0x40) }))),
    invalid('tag', 'sha256 inside tag 64 (typed array).', mapInOrder(entries(m, { sha256: concat(head(6, 64, 1), canonical(m.sha256)) }))),
    invalid('wrong-type', 'revision as text.', mapInOrder(entries(m, { revision: canonical('3') }))),
    invalid('short-hash', 'sha256 of 31 bytes.', mapInOrder(entries(m, { sha256: canonical(m.sha256.subarray(1)) }))),
    invalid('trailing-bytes', 'A byte after the manifest.', concat(SAMPLE_MANIFEST_BYTES, Uint8Array.of(0x00))),
  ];
}

function badSignatures(): ManifestVector[] {
  const flipped = signManifest(SAMPLE_MANIFEST_BYTES, PUBLISHER_SEED);
  flipped[0] ^= 0x01;
  const altered = encodeManifest({ ...SAMPLE_MANIFEST, memoryLimitBytes: 1_048_576 });
  const unsorted = mapInOrder([...entries(SAMPLE_MANIFEST)].reverse());
  const bad = (name: string, description: string, bytes: Uint8Array, signature: Uint8Array, error: 'bad_signature' | 'invalid_manifest'): ManifestVector => ({
    name,
    description,
    hex: hex(bytes),
    signature: hex(signature),
    publicKey,
    error,
  });
  return [
    bad('signature-bit-flipped', 'One bit of the signature flipped.', SAMPLE_MANIFEST_BYTES, flipped, 'bad_signature'),
    bad(
      'manifest-altered',
      'memoryLimitBytes raised after signing: the bytes are a valid manifest, the signature is of the original.',
      altered,
      signManifest(SAMPLE_MANIFEST_BYTES, PUBLISHER_SEED),
      'bad_signature',
    ),
    bad('other-signer', 'Signed by another key than publicKey.', SAMPLE_MANIFEST_BYTES, signManifest(SAMPLE_MANIFEST_BYTES, OTHER_SEED), 'bad_signature'),
    bad(
      'signed-not-deterministic',
      'A correct signature over a non-deterministic encoding: it verifies, then decoding refuses it.',
      unsorted,
      signManifest(unsorted, PUBLISHER_SEED),
      'invalid_manifest',
    ),
  ];
}

export function buildManifestVectors(): ManifestVectorFile {
  return {
    format: VECTOR_FORMAT,
    description:
      'Manifests as carried in Deploy.manifest. When "signature" is given, verify it (Ed25519, over "hex" as is, with "publicKey") before decoding; then decode strictly. The expected outcome is "decoded" or the first failing step\'s "error".',
    publisher: { note: 'TEST ONLY: this seed is public. Never trust its key outside tests.', seed: hex(PUBLISHER_SEED), publicKey },
    module: { hex: hex(SAMPLE_MODULE), sha256: hex(moduleSha256(SAMPLE_MODULE)) },
    vectors: [
      signed('blinky', 'The manifest of the sample module, as in the messages.json "deploy" vector.', SAMPLE_MANIFEST),
      signed('minimal', 'No host functions, empty env and args, no CPU limit.', MINIMAL_MANIFEST),
      signed('restarting', 'The optional restart policy: auto-restart, at most 2 restarts.', RESTARTING_MANIFEST),
      ...notDeterministic(),
      ...badSignatures(),
    ],
  };
}
