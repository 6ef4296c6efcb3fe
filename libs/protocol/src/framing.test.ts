import fc from 'fast-check';
import { FrameTooLargeError, ProtocolError, TruncatedFrameError, ZeroLengthFrameError } from './errors';
import { encodeFrame, FrameDecoder } from './framing';
import { GATEWAY_MAX_FRAME_BYTES } from './limits';
import { thrownBy as thrown } from './test-support/thrown';

const bytes = (...values: number[]) => Uint8Array.from(values);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function collect(decoder: FrameDecoder, ...chunks: Uint8Array[]): string[] {
  const frames: string[] = [];
  for (const chunk of chunks) decoder.push(chunk, (f) => frames.push(hex(f)));
  return frames;
}

describe('encodeFrame', () => {
  it('prefixes the item with its length, big-endian', () => {
    expect(hex(encodeFrame(bytes(0xf6)))).toBe('00000001f6');
    expect(hex(encodeFrame(new Uint8Array(0x0102)).subarray(0, 4))).toBe('00000102');
  });

  it('refuses empty items and items over the given limit', () => {
    expect(() => encodeFrame(new Uint8Array(0))).toThrow(/empty/);
    expect(() => encodeFrame(new Uint8Array(11), 10)).toThrow(/exceeds the limit of 10/);
  });
});

describe('FrameDecoder', () => {
  it('defaults to the gateway limit and refuses nonsensical limits', () => {
    expect(new FrameDecoder().maxFrameBytes).toBe(GATEWAY_MAX_FRAME_BYTES);
    expect(() => new FrameDecoder({ maxFrameBytes: 0 })).toThrow(/maxFrameBytes/);
    expect(() => new FrameDecoder({ maxFrameBytes: 2 ** 32 })).toThrow(/maxFrameBytes/);
  });

  it('emits every frame whatever the chunking', () => {
    const payloads = [bytes(1), bytes(2, 3), new Uint8Array(300).fill(7), bytes(4, 5, 6)];
    const stream = Buffer.concat(payloads.map((p) => encodeFrame(p)));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
        const chunks = points.slice(1).map((end, i) => stream.subarray(points[i], end));
        const decoder = new FrameDecoder();
        expect(collect(decoder, ...chunks)).toEqual(payloads.map(hex));
        expect(decoder.bufferedBytes).toBe(0);
        expect(() => decoder.end()).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('hands out a view, not a copy, when a frame arrives in one chunk', () => {
    const chunk = encodeFrame(bytes(1, 2, 3));
    let frame: Uint8Array | undefined;
    new FrameDecoder().push(chunk, (f) => (frame = f));
    expect(frame?.buffer).toBe(chunk.buffer);
  });

  it('rejects an oversized prefix before any payload byte arrives', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 100 });
    expect(collect(decoder, bytes(0, 0))).toEqual([]);
    const err = thrown(() => collect(decoder, bytes(0, 101)));
    expect(err).toBeInstanceOf(FrameTooLargeError);
    expect(err).toMatchObject({ protocolCode: 'frame_too_large', frameBytes: 101, maxFrameBytes: 100, fatal: true });
    expect(decoder.reservedBytes).toBe(0);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('accepts a frame of exactly the limit', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 100 });
    const frame = encodeFrame(new Uint8Array(100));
    expect(collect(decoder, frame.subarray(0, 50), frame.subarray(50))).toHaveLength(1);
  });

  it('reserves only the announced length, never more', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 1000 });
    collect(decoder, bytes(0, 0, 3, 0xe8, 1, 2));
    expect(decoder.reservedBytes).toBe(1000);
    expect(decoder.bufferedBytes).toBe(6);
  });

  it('rejects a zero-length frame, after emitting the frames before it', () => {
    const decoder = new FrameDecoder();
    const frames: string[] = [];
    const err = thrown(() => decoder.push(Buffer.concat([encodeFrame(bytes(9)), bytes(0, 0, 0, 0)]), (f) => frames.push(hex(f))));
    expect(frames).toEqual(['09']);
    expect(err).toBeInstanceOf(ZeroLengthFrameError);
    expect(err).toMatchObject({ protocolCode: 'malformed_frame' });
  });

  it('stays failed after an error: the stream position is lost', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 10 });
    const first = thrown(() => collect(decoder, bytes(0, 0, 0, 11)));
    expect(thrown(() => collect(decoder, encodeFrame(bytes(1))))).toBe(first);
    expect(thrown(() => decoder.end())).toBe(first);
  });

  it('reports a stream that ends inside the prefix or the payload', () => {
    const inPrefix = new FrameDecoder();
    collect(inPrefix, bytes(0, 0));
    expect(thrown(() => inPrefix.end())).toMatchObject({ protocolCode: 'malformed_frame', bufferedBytes: 2, expectedBytes: 4 });

    const inPayload = new FrameDecoder();
    collect(inPayload, bytes(0, 0, 0, 10, 1, 2));
    const err = thrown(() => inPayload.end());
    expect(err).toBeInstanceOf(TruncatedFrameError);
    expect(err).toMatchObject({ bufferedBytes: 6, expectedBytes: 14 });
  });

  it('fails for good when a frame handler throws, passing the handler error on', () => {
    const decoder = new FrameDecoder();
    const boom = new Error('handler failed');
    const err = thrown(() =>
      decoder.push(Buffer.concat([encodeFrame(bytes(1)), encodeFrame(bytes(2))]), () => {
        throw boom;
      }),
    );
    expect(err).toBe(boom);
    const later = thrown(() => collect(decoder, encodeFrame(bytes(3))));
    expect(later).toBeInstanceOf(ProtocolError);
    expect(later).toMatchObject({ protocolCode: 'internal' });
  });
});
