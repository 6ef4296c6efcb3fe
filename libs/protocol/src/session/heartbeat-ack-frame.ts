import { MAX_MSG_ID, MAX_U32, MAX_U53, PROTOCOL_VERSION } from '../limits';
import { MESSAGE_CATALOG } from '../messages/catalog';

const ACK_TYPE_CODE = MESSAGE_CATALOG.HeartbeatAck.code;
// Text-string keys as deterministic CBOR writes them; "seq" sorts first (shorter encoding).
const SEQ_KEY = Uint8Array.of(0x63, ...Buffer.from('seq'));
const TIME_KEY = Uint8Array.of(0x6c, ...Buffer.from('serverTimeMs'));
const PREFIX_BYTES = 4;

/** Bytes of an unsigned integer's head in its shortest form. */
function uintSize(value: number): number {
  return value < 24 ? 1 : value <= 0xff ? 2 : value <= 0xffff ? 3 : value <= 0xffff_ffff ? 5 : 9;
}

function writeUint(out: Uint8Array, at: number, value: number): number {
  if (value < 24) {
    out[at] = value;
    return at + 1;
  }
  if (value <= 0xff) {
    out[at] = 0x18;
    out[at + 1] = value;
    return at + 2;
  }
  if (value <= 0xffff) {
    out[at] = 0x19;
    out[at + 1] = value >>> 8;
    out[at + 2] = value & 0xff;
    return at + 3;
  }
  if (value <= 0xffff_ffff) {
    out[at] = 0x1a;
    writeU32(out, at + 1, value);
    return at + 5;
  }
  out[at] = 0x1b;
  writeU32(out, at + 1, Math.floor(value / 2 ** 32));
  writeU32(out, at + 5, value % 2 ** 32);
  return at + 9;
}

function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

const isUint = (value: number, min: number, max: number) => Number.isSafeInteger(value) && value >= min && value <= max;

/**
 * The frame of a HeartbeatAck, byte for byte what encodeMessageFrame makes of it
 * (`[version, type, msgId, correlationId, {seq, serverTimeMs}]` in deterministic
 * CBOR behind the length prefix), written straight into one exact buffer. The
 * gateway answers every Heartbeat with one; the generic path (validating copy of
 * the body, key sort, a second buffer for the prefix) cost more than the rest of
 * the answer. Undefined for values outside the message's schema: the generic path
 * then raises its usual error.
 */
export function heartbeatAckFrame(msgId: number, correlationId: number, seq: number, serverTimeMs: number): Uint8Array | undefined {
  if (!isUint(msgId, 1, MAX_MSG_ID) || !isUint(correlationId, 0, MAX_MSG_ID) || !isUint(seq, 1, MAX_U32) || !isUint(serverTimeMs, 0, MAX_U53)) {
    return undefined;
  }
  const itemBytes =
    1 + uintSize(PROTOCOL_VERSION) + uintSize(ACK_TYPE_CODE) + uintSize(msgId) + uintSize(correlationId) + 1 +
    SEQ_KEY.length + uintSize(seq) + TIME_KEY.length + uintSize(serverTimeMs);
  const frame = new Uint8Array(PREFIX_BYTES + itemBytes);
  writeU32(frame, 0, itemBytes);
  let at = PREFIX_BYTES;
  frame[at++] = 0x85; // array of 5
  at = writeUint(frame, at, PROTOCOL_VERSION);
  at = writeUint(frame, at, ACK_TYPE_CODE);
  at = writeUint(frame, at, msgId);
  at = writeUint(frame, at, correlationId);
  frame[at++] = 0xa2; // map of 2
  frame.set(SEQ_KEY, at);
  at = writeUint(frame, at + SEQ_KEY.length, seq);
  frame.set(TIME_KEY, at);
  writeUint(frame, at + TIME_KEY.length, serverTimeMs);
  return frame;
}
