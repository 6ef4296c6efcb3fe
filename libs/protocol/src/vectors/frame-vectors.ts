import { encodeFrame } from '../framing';
import { GATEWAY_MAX_FRAME_BYTES, MIN_DEVICE_FRAME_BYTES } from '../limits';
import { encodeMessage } from '../messages/codec';
import { bytesToHex } from './json-form';
import { concat, head } from './raw-cbor';
import { sampleMessage } from './samples';
import { VECTOR_FORMAT, type FrameVector, type VectorFile } from './vector-types';

const heartbeat = encodeMessage(sampleMessage('heartbeat'));
const stop = encodeMessage(sampleMessage('stop'));
/** A CBOR byte string filling exactly the smallest device limit. */
const fullDeviceFrame = concat(head(2, MIN_DEVICE_FRAME_BYTES - 3, 2), new Uint8Array(MIN_DEVICE_FRAME_BYTES - 3).fill(0xa5));
const prefix = (length: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, length);
  return out;
};

export function buildFrameVectors(): VectorFile<FrameVector> {
  const hex = bytesToHex;
  return {
    format: VECTOR_FORMAT,
    description:
      'Framing only: feed "hex" (in any split) to a receiver limited to "maxFrameBytes", then end the stream. It must emit "frames" (payload hex) and then fail with "error" if one is given. Payloads need not be messages here.',
    vectors: [
      {
        name: 'two-frames',
        description: 'Two frames back to back.',
        maxFrameBytes: GATEWAY_MAX_FRAME_BYTES,
        hex: hex(concat(encodeFrame(heartbeat), encodeFrame(stop))),
        frames: [hex(heartbeat), hex(stop)],
      },
      {
        name: 'frame-at-device-limit',
        description: 'A payload of exactly the smallest device limit is accepted.',
        maxFrameBytes: MIN_DEVICE_FRAME_BYTES,
        hex: hex(encodeFrame(fullDeviceFrame)),
        frames: [hex(fullDeviceFrame)],
      },
      {
        name: 'over-gateway-limit',
        description: 'A prefix of 65,537 alone: rejected before any payload byte arrives.',
        maxFrameBytes: GATEWAY_MAX_FRAME_BYTES,
        hex: hex(prefix(GATEWAY_MAX_FRAME_BYTES + 1)),
        frames: [],
        error: 'frame_too_large',
      },
      {
        name: 'over-device-limit',
        description: 'A prefix one byte over a 4,096-byte device limit.',
        maxFrameBytes: MIN_DEVICE_FRAME_BYTES,
        hex: hex(concat(prefix(MIN_DEVICE_FRAME_BYTES + 1), new Uint8Array(16))),
        frames: [],
        error: 'frame_too_large',
      },
      {
        name: 'max-prefix',
        description: 'A prefix of 2^32 − 1: must not be allocated.',
        maxFrameBytes: GATEWAY_MAX_FRAME_BYTES,
        hex: 'ffffffff',
        frames: [],
        error: 'frame_too_large',
      },
      {
        name: 'zero-length',
        description: 'Length 0 is invalid.',
        maxFrameBytes: GATEWAY_MAX_FRAME_BYTES,
        hex: hex(prefix(0)),
        frames: [],
        error: 'malformed_frame',
      },
      {
        name: 'zero-length-after-frame',
        description: 'The valid frame before the bad prefix is still emitted.',
        maxFrameBytes: GATEWAY_MAX_FRAME_BYTES,
        hex: hex(concat(encodeFrame(stop), prefix(0))),
        frames: [hex(stop)],
        error: 'malformed_frame',
      },
      {
        name: 'truncated-prefix',
        description: 'The stream ends after 2 prefix bytes.',
        maxFrameBytes: GATEWAY_MAX_FRAME_BYTES,
        hex: '0000',
        frames: [],
        error: 'malformed_frame',
      },
      {
        name: 'truncated-payload',
        description: 'The stream ends 2 bytes into a 10-byte payload.',
        maxFrameBytes: GATEWAY_MAX_FRAME_BYTES,
        hex: hex(concat(prefix(10), Uint8Array.of(0x85, 0x01))),
        frames: [],
        error: 'malformed_frame',
      },
    ],
  };
}
