import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolError, type ProtocolErrorCode } from '../errors';
import { FrameDecoder } from '../framing';
import { GATEWAY_MAX_FRAME_BYTES } from '../limits';
import { decodeManifest, encodeManifest, type Manifest } from '../manifest/manifest';
import { moduleSha256, verifyManifest } from '../manifest/signing';
import { ed25519PrivateKeyFromSeed, rawEd25519PublicKey } from '../keys';
import { decodeMessage, encodeMessage } from '../messages/codec';
import type { Message } from '../messages/types';
import { renderVectorFiles } from './build-vectors';
import { bytesToHex, fromJsonForm, hexToBytes } from './json-form';
import { messageJson } from './message-vectors';
import type { FrameVector, ManifestVectorFile, MessageVector, VectorFile } from './vector-types';

const dir = join(__dirname, '..', '..', 'vectors');
const read = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;

/** Runs `fn`; returns the ProtocolError it failed with, or null. Anything else fails the test. */
function failureOf(fn: () => void): ProtocolError | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
}

function failure(fn: () => void): ProtocolErrorCode | null {
  return failureOf(fn)?.protocolCode ?? null;
}

describe('committed test vectors', () => {
  it('are exactly what the generator produces (run `npm run vectors` after a change)', () => {
    const generated = renderVectorFiles();
    expect(readdirSync(dir).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(generated).sort());
    for (const [name, text] of Object.entries(generated)) expect(readFileSync(join(dir, name), 'utf8')).toBe(text);
  });

  describe('frames.json', () => {
    const file = read<VectorFile<FrameVector>>('frames.json');

    it.each(file.vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
      // Byte by byte: the hardest split there is.
      const stream = hexToBytes(vector.hex);
      const decoder = new FrameDecoder({ maxFrameBytes: vector.maxFrameBytes });
      const frames: string[] = [];
      const error = failure(() => {
        for (let i = 0; i < stream.length; i++) decoder.push(stream.subarray(i, i + 1), (f) => frames.push(bytesToHex(f)));
        decoder.end();
      });
      expect({ frames, error }).toEqual({ frames: vector.frames, error: vector.error ?? null });
      expect(decoder.reservedBytes).toBeLessThanOrEqual(vector.maxFrameBytes);
    });
  });

  describe('messages.json', () => {
    const file = read<VectorFile<MessageVector>>('messages.json');

    it('cover every message type with a valid frame', () => {
      const types = new Set(file.vectors.filter((v) => v.decoded).map((v) => (v.decoded as { type: string }).type));
      expect([...types].sort()).toEqual(
        ['AppLog', 'AppStatus', 'Bye', 'Deploy', 'DeployResult', 'EnrollmentPending', 'Error', 'Heartbeat', 'HeartbeatAck', 'Hello', 'ModuleChunk', 'ModuleRequest', 'Rejected', 'Stop', 'StopResult', 'Welcome'],
      );
    });

    it.each(file.vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
      const frames: Uint8Array[] = [];
      let message: Message | undefined;
      const error = failureOf(() => {
        const decoder = new FrameDecoder({ maxFrameBytes: GATEWAY_MAX_FRAME_BYTES });
        decoder.push(hexToBytes(vector.hex), (f) => frames.push(f));
        decoder.end();
        expect(frames).toHaveLength(1);
        message = decodeMessage(frames[0]);
      });
      if (vector.error) {
        // The path is informative for other implementations, but this one must fail on that very field.
        expect({ code: error?.protocolCode, path: error?.info.path }).toEqual({ code: vector.error, path: vector.path });
        return;
      }
      expect(error).toBeNull();
      expect(messageJson(message!)).toEqual(vector.decoded);
      // Decoding the JSON form gives back the same message, which encodes deterministically.
      const meaning = fromJsonForm(vector.decoded!) as Message & { version: number; typeCode: number };
      const { version: _version, typeCode: _typeCode, ...fromJson } = meaning;
      expect(decodeMessage(encodeMessage(fromJson as Message))).toEqual(message);
    });
  });

  describe('manifests.json', () => {
    const file = read<ManifestVectorFile>('manifests.json');

    it('publish a key pair that belongs together and the module the manifests name', () => {
      const seed = hexToBytes(file.publisher.seed);
      expect(bytesToHex(rawEd25519PublicKey(ed25519PrivateKeyFromSeed(seed)))).toBe(file.publisher.publicKey);
      expect(bytesToHex(moduleSha256(hexToBytes(file.module.hex)))).toBe(file.module.sha256);
    });

    it.each(file.vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
      const bytes = hexToBytes(vector.hex);
      let manifest: Manifest | undefined;
      const error = failure(() => {
        if (vector.signature !== undefined && !verifyManifest(bytes, hexToBytes(vector.signature), hexToBytes(vector.publicKey ?? ''))) {
          throw new ProtocolError('bad_signature', 'signature does not verify');
        }
        manifest = decodeManifest(bytes);
      });
      expect(error).toBe(vector.error ?? null);
      if (vector.error) return;
      expect(fromJsonForm(vector.decoded!)).toEqual(manifest);
      expect(bytesToHex(encodeManifest(manifest!))).toBe(vector.hex);
    });
  });
});
