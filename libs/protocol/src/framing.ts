import { ValidationError } from '@wasmbed/errors';
import { FrameTooLargeError, ProtocolError, TruncatedFrameError, ZeroLengthFrameError } from './errors';
import { GATEWAY_MAX_FRAME_BYTES, MAX_FRAME_PREFIX_VALUE } from './limits';

const PREFIX_BYTES = 4;

/** Prefixes one CBOR item with its length (4 bytes, big-endian). */
export function encodeFrame(item: Uint8Array, maxFrameBytes: number = MAX_FRAME_PREFIX_VALUE): Uint8Array {
  if (item.length === 0) throw new ValidationError('a frame cannot be empty');
  if (item.length > maxFrameBytes) throw new ValidationError(`frame of ${item.length} bytes exceeds the limit of ${maxFrameBytes}`);
  const frame = new Uint8Array(PREFIX_BYTES + item.length);
  new DataView(frame.buffer).setUint32(0, item.length);
  frame.set(item, PREFIX_BYTES);
  return frame;
}

export interface FrameDecoderOptions {
  /** Largest payload accepted (the receiver's limit); default GATEWAY_MAX_FRAME_BYTES. */
  readonly maxFrameBytes?: number;
}

/**
 * Splits a byte stream into frame payloads, whatever the chunking. The length prefix
 * is checked against the limit as soon as its 4 bytes are in, before any payload
 * byte is kept, so a peer can never make the decoder hold more than
 * 4 + maxFrameBytes bytes. After an error the stream position is lost: every later
 * call throws the same error, and the session must close.
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  private readonly prefix = new Uint8Array(PREFIX_BYTES);
  private prefixFilled = 0;
  private payload: Uint8Array | null = null;
  private payloadFilled = 0;
  private failure: ProtocolError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? GATEWAY_MAX_FRAME_BYTES;
    if (!Number.isSafeInteger(this.maxFrameBytes) || this.maxFrameBytes < 1 || this.maxFrameBytes > MAX_FRAME_PREFIX_VALUE) {
      throw new ValidationError(`maxFrameBytes must be an integer in [1, ${MAX_FRAME_PREFIX_VALUE}]`);
    }
  }

  /** Bytes of the current, incomplete frame held so far (prefix included). */
  get bufferedBytes(): number {
    return this.payload ? PREFIX_BYTES + this.payloadFilled : this.prefixFilled;
  }

  /** Bytes allocated for the current frame's payload (0 between frames). */
  get reservedBytes(): number {
    return this.payload?.length ?? 0;
  }

  /**
   * Feeds received bytes and calls `onFrame` with each payload completed, in order.
   * A payload that arrived within one chunk is a view into it, not a copy. Throws
   * FrameTooLargeError / ZeroLengthFrameError after emitting the frames before the
   * bad prefix. If `onFrame` throws, its error propagates and the decoder is failed.
   */
  push(chunk: Uint8Array, onFrame: (payload: Uint8Array) => void): void {
    if (this.failure) throw this.failure;
    let pos = 0;
    try {
      while (pos < chunk.length) {
        if (this.payload === null) {
          const length = this.readPrefix(chunk, pos);
          pos += length.consumed;
          if (length.value === null) break;
          if (chunk.length - pos >= length.value) {
            const payload = chunk.subarray(pos, pos + length.value);
            pos += length.value;
            onFrame(payload);
          } else {
            this.payload = new Uint8Array(length.value);
          }
        } else {
          const n = Math.min(chunk.length - pos, this.payload.length - this.payloadFilled);
          this.payload.set(chunk.subarray(pos, pos + n), this.payloadFilled);
          this.payloadFilled += n;
          pos += n;
          if (this.payloadFilled === this.payload.length) {
            const payload = this.payload;
            this.payload = null;
            this.payloadFilled = 0;
            onFrame(payload);
          }
        }
      }
    } catch (err) {
      this.failure ??= err instanceof ProtocolError ? err : new ProtocolError('internal', 'a frame handler threw; the stream position is lost', {}, { cause: err });
      throw err;
    }
  }

  /** The stream ended; throws TruncatedFrameError if it ended inside a frame. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.bufferedBytes > 0) {
      const expected = this.payload ? PREFIX_BYTES + this.payload.length : PREFIX_BYTES;
      this.failure = new TruncatedFrameError(this.bufferedBytes, expected);
      throw this.failure;
    }
  }

  /** Collects prefix bytes from `chunk`; returns the payload length once all 4 are in (validated), else null. */
  private readPrefix(chunk: Uint8Array, pos: number): { consumed: number; value: number | null } {
    const n = Math.min(PREFIX_BYTES - this.prefixFilled, chunk.length - pos);
    this.prefix.set(chunk.subarray(pos, pos + n), this.prefixFilled);
    this.prefixFilled += n;
    if (this.prefixFilled < PREFIX_BYTES) return { consumed: n, value: null };
    this.prefixFilled = 0;
    const value = new DataView(this.prefix.buffer).getUint32(0);
    if (value === 0) throw new ZeroLengthFrameError();
    if (value > this.maxFrameBytes) throw new FrameTooLargeError(value, this.maxFrameBytes);
    return { consumed: n, value };
  }
}
