import fc from 'fast-check';
import { MAX_MSG_ID, MAX_U32, MAX_U53 } from '../limits';
import { encodeMessageFrame } from '../messages/codec';
import { heartbeatAckFrame } from './heartbeat-ack-frame';

const generic = (msgId: number, correlationId: number, seq: number, serverTimeMs: number) =>
  encodeMessageFrame({ type: 'HeartbeatAck', msgId, correlationId, body: { seq, serverTimeMs } });

// Every head size: the boundaries of 1-, 2-, 3-, 5- and 9-byte integers.
const edges = [0, 1, 23, 24, 255, 256, 65_535, 65_536, 0xffff_ffff, 0x1_0000_0000, MAX_U53];
const within = (min: number, max: number) => fc.oneof(fc.constantFrom(...edges.filter((v) => v >= min && v <= max)), fc.integer({ min, max }), fc.maxSafeNat().filter((v) => v >= min && v <= max));

describe('heartbeatAckFrame', () => {
  it('writes exactly the bytes of the generic encoder', () => {
    fc.assert(
      fc.property(within(1, MAX_MSG_ID), within(0, MAX_MSG_ID), within(1, MAX_U32), within(0, MAX_U53), (msgId, correlationId, seq, time) => {
        expect(heartbeatAckFrame(msgId, correlationId, seq, time)).toEqual(generic(msgId, correlationId, seq, time));
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves values outside the schema to the generic encoder', () => {
    expect(heartbeatAckFrame(0, 0, 1, 1)).toBeUndefined();
    expect(heartbeatAckFrame(1, MAX_MSG_ID + 1, 1, 1)).toBeUndefined();
    expect(heartbeatAckFrame(1, 0, 0, 1)).toBeUndefined();
    expect(heartbeatAckFrame(1, 0, MAX_U32 + 1, 1)).toBeUndefined();
    expect(heartbeatAckFrame(1, 0, 1, -1)).toBeUndefined();
    expect(heartbeatAckFrame(1, 0, 1, 1.5)).toBeUndefined();
    expect(() => generic(1, 0, 0, 1)).toThrow(/seq/);
  });
});
