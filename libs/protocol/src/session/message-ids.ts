import { ProtocolError } from '../errors';
import { MAX_MSG_ID } from '../limits';

/**
 * Whether `msgId` is the one the peer must send after `lastMsgId` (0 before its
 * first message). Ids start at 1 and grow by exactly 1, so any replayed, skipped or
 * reordered message is caught — over TLS only a bug or an attack produces one.
 */
export function isNextMsgId(lastMsgId: number, msgId: number): boolean {
  return msgId === lastMsgId + 1 && msgId <= MAX_MSG_ID;
}

/** Checks the msgIds one peer sends in one session. */
export class MessageIdTracker {
  private last = 0;

  /** msgId of the last message accepted; 0 before the first. */
  get lastAccepted(): number {
    return this.last;
  }

  /** Accepts the next msgId or throws ProtocolError replayed_message (fatal). */
  accept(msgId: number): void {
    if (!isNextMsgId(this.last, msgId)) {
      throw new ProtocolError('replayed_message', `msgId ${msgId} after ${this.last}: expected ${this.last + 1}`, { msgId });
    }
    this.last = msgId;
  }
}
