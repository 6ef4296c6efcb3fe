import fc from 'fast-check';
import { encodeCbor } from './cbor/encode';
import type { CborValue } from './cbor/values';
import { ProtocolError } from './errors';
import { FrameDecoder } from './framing';
import { decodeManifest, encodeManifest } from './manifest/manifest';
import { MESSAGE_CATALOG, MESSAGE_TYPES } from './messages/catalog';
import { decodeMessage, encodeMessage, encodeMessageFrame } from './messages/codec';
import { anyManifest, anyMessage } from './test-support/arbitraries';
import { SAMPLE_MANIFEST_BYTES } from './vectors/samples';

// Fuzzing the receive path: framing + CBOR + envelope + bodies, and the manifest
// decoder. 100,000 generated inputs in all. Properties: only ProtocolError ever
// escapes; the frame decoder never holds more than its limit; whatever is accepted
// re-encodes to something that decodes the same (and, for manifests, to the very
// same bytes). A hang would show as the test's timeout.

const RUNS = { randomStreams: 35_000, mutatedFrames: 35_000, confusedBodies: 15_000, manifests: 15_000 };

/** Only protocol errors may escape a decoder. */
function expectProtocolError(err: unknown): void {
  if (!(err instanceof ProtocolError)) throw err;
}

/** expect() is too slow for 100,000 runs; these checks are plain throws. */
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`fuzz property broken: ${what}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/** Feeds `stream` in the given pieces through framing and message decoding; checks the memory bound on the way. */
function receive(stream: Uint8Array, cuts: readonly number[], maxFrameBytes: number): void {
  const decoder = new FrameDecoder({ maxFrameBytes });
  const points = [0, ...cuts.filter((c) => c > 0 && c < stream.length).sort((a, b) => a - b), stream.length];
  try {
    for (let i = 1; i < points.length; i++) {
      decoder.push(stream.subarray(points[i - 1], points[i]), (frame) => {
        check(frame.length <= maxFrameBytes, 'frame within the limit');
        let message;
        try {
          message = decodeMessage(frame);
        } catch (err) {
          expectProtocolError(err);
          return;
        }
        // Deterministic encoding: equal bytes mean an equal message.
        const again = encodeMessage(message);
        check(sameBytes(encodeMessage(decodeMessage(again)), again), 'accepted message re-encodes stably');
      });
      check(decoder.reservedBytes <= maxFrameBytes, 'reserved bytes within the limit');
      check(decoder.bufferedBytes <= 4 + maxFrameBytes, 'buffered bytes within the limit');
    }
    decoder.end();
  } catch (err) {
    expectProtocolError(err);
  }
}

const prefixed = (length: number, payload: Uint8Array) => {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, length);
  out.set(payload, 4);
  return out;
};

/** Random bytes, or random bytes behind a plausible length prefix (so the CBOR layer sees them too). */
const randomStream = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).chain((payload) =>
    fc.integer({ min: 0, max: payload.length + 8 }).map((length) => prefixed(length, payload)),
  ),
);

type Mutation = { readonly op: 'flip' | 'set' | 'insert' | 'delete' | 'truncate'; readonly at: number; readonly value: number };

const mutations = fc.array(
  fc.record({ op: fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate'), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  { minLength: 1, maxLength: 4 },
) as fc.Arbitrary<Mutation[]>;

function mutate(input: Uint8Array, changes: readonly Mutation[]): Uint8Array {
  let bytes = input.slice();
  for (const { op, at, value } of changes) {
    const i = bytes.length === 0 ? 0 : at % bytes.length;
    if (op === 'flip' && bytes.length) bytes[i] ^= 1 << (value % 8);
    else if (op === 'set' && bytes.length) bytes[i] = value;
    else if (op === 'insert') {
      const grown = new Uint8Array(bytes.length + 1);
      grown.set(bytes.subarray(0, i));
      grown[i] = value;
      grown.set(bytes.subarray(i), i + 1);
      bytes = grown;
    } else if (op === 'delete' && bytes.length) {
      const shrunk = new Uint8Array(bytes.length - 1);
      shrunk.set(bytes.subarray(0, i));
      shrunk.set(bytes.subarray(i + 1), i);
      bytes = shrunk;
    } else if (op === 'truncate') bytes = bytes.slice(0, i);
  }
  return bytes;
}

const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });
const limit = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant(4096), fc.constant(65_536));

/** Field names of every body, so confused values land on fields that are validated. */
const FIELD_NAMES = [...new Set(MESSAGE_TYPES.flatMap((t) => {
  const node = MESSAGE_CATALOG[t].body.node;
  return node.kind === 'record' ? Object.keys(node.fields) : [];
}))];

const confusedValue: fc.Arbitrary<CborValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 2 },
    fc.constantFrom(0, 1, -1, 2 ** 32, 2 ** 53 - 1, '', 'blinky', true, false, null),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie('value'), { maxKeys: 6, noNullPrototype: true }),
  ),
})).value as fc.Arbitrary<CborValue>;

const confusedEnvelope = fc.tuple(
  fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 3 })),
  fc.integer({ min: 0, max: 20 }),
  fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(2 ** 32)),
  fc.integer({ min: 0, max: 5 }),
  fc.oneof(confusedValue, fc.dictionary(fc.constantFrom(...FIELD_NAMES), confusedValue, { minKeys: 1, maxKeys: 8, noNullPrototype: true })),
);

// Generating valid messages and manifests is costly; the mutations supply the variety.
const validFrames = fc.sample(anyMessage, 200).map(encodeMessageFrame);
const validManifests = [
  SAMPLE_MANIFEST_BYTES,
  ...fc.sample(anyManifest, 60).flatMap((m) => {
    try {
      return [encodeManifest(m)];
    } catch {
      return []; // over the size limit
    }
  }),
];

describe('fuzzing the receive path', () => {
  jest.setTimeout(60_000);

  // Nearly every input ends in a ProtocolError; capturing 100,000 stack traces would dominate the run.
  const stackTraceLimit = Error.stackTraceLimit;
  beforeAll(() => (Error.stackTraceLimit = 0));
  afterAll(() => (Error.stackTraceLimit = stackTraceLimit));

  it('survives random byte streams in random pieces', () => {
    fc.assert(fc.property(randomStream, cuts, limit, (stream, pieces, max) => receive(stream, pieces, max)), { numRuns: RUNS.randomStreams });
  });

  it('survives mutated valid frames', () => {
    fc.assert(
      fc.property(fc.constantFrom(...validFrames), mutations, cuts, (frame, changes, pieces) => receive(mutate(frame, changes), pieces, 65_536)),
      { numRuns: RUNS.mutatedFrames },
    );
  });

  it('survives well-formed CBOR with the wrong shapes and types', () => {
    fc.assert(
      fc.property(confusedEnvelope, (envelope) => {
        try {
          decodeMessage(encodeCbor(envelope as unknown as CborValue));
        } catch (err) {
          expectProtocolError(err);
        }
      }),
      { numRuns: RUNS.confusedBodies },
    );
  });

  it('accepts a manifest only in its one deterministic encoding', () => {
    fc.assert(
      fc.property(fc.constantFrom(...validManifests), mutations, (bytes, changes) => {
        const input = mutate(bytes, changes);
        let manifest;
        try {
          manifest = decodeManifest(input);
        } catch (err) {
          expectProtocolError(err);
          check((err as ProtocolError).protocolCode === 'invalid_manifest', 'manifest errors are invalid_manifest');
          return;
        }
        check(sameBytes(encodeManifest(manifest), input), 'an accepted manifest is its own canonical encoding');
      }),
      { numRuns: RUNS.manifests },
    );
  });
});
