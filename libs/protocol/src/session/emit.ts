import { ProtocolError, SessionViolationError, type ProtocolErrorCode } from '../errors';
import { MAX_REASON_BYTES, MIN_DEVICE_FRAME_BYTES, PROTOCOL_VERSION } from '../limits';
import type { MessageBodies } from '../messages/catalog';
import { encodeMessageFrame } from '../messages/codec';
import type { GatewayMessage, GatewayMessageType } from '../messages/types';
import { heartbeatAckFrame } from './heartbeat-ack-frame';
import type { SessionAction, SessionState, Transition } from './session-types';

type SendAction = Extract<SessionAction, { kind: 'send' }>;

/** Sends a fatal Error answering `correlationId` and closes. */
export function fatal(state: SessionState, code: ProtocolErrorCode, message: string, correlationId: number): Transition {
  const versions = code === 'unsupported_version' ? { supportedVersions: [PROTOCOL_VERSION] } : {};
  const err = emit(state, 'Error', { code, message: clip(message), fatal: true, ...versions }, correlationId);
  return { state: { ...err.state, phase: 'Closed', deadlineMs: null }, actions: [err.action, { kind: 'close', reason: code }] };
}

/** Numbers, encodes and size-checks one gateway message. */
export function emit<T extends GatewayMessageType>(
  state: SessionState,
  type: T,
  body: MessageBodies[T],
  correlationId: number,
): { state: SessionState; action: SessionAction } {
  const action = outgoing(state, type, body, correlationId);
  return { state: { ...state, lastSentMsgId: action.message.msgId }, action };
}

/** emit without the new state: the caller records `message.msgId` as lastSentMsgId in the state it builds. */
export function outgoing<T extends GatewayMessageType>(state: SessionState, type: T, body: MessageBodies[T], correlationId: number): SendAction {
  const message = { type, msgId: state.lastSentMsgId + 1, correlationId, body } as GatewayMessage;
  let frame: Uint8Array | undefined;
  if (message.type === 'HeartbeatAck') frame = heartbeatAckFrame(message.msgId, correlationId, message.body.seq, message.body.serverTimeMs);
  try {
    frame ??= encodeMessageFrame(message);
  } catch (err) {
    if (err instanceof ProtocolError) throw new SessionViolationError(`cannot send ${type}: ${err.message}`, {}, { cause: err });
    throw err;
  }
  const limit = state.hello?.body.maxFrameBytes ?? MIN_DEVICE_FRAME_BYTES;
  if (frame.length - 4 > limit) {
    throw new SessionViolationError(`cannot send ${type}: ${frame.length - 4} bytes exceed the device's limit of ${limit}`);
  }
  return { kind: 'send', message, frame };
}

const utf8 = new TextEncoder();

/** Cuts text to what fits an Error message's 256 bytes, on a character boundary. */
export function clip(text: string): string {
  if (utf8.encode(text).length <= MAX_REASON_BYTES) return text;
  let out = '';
  let size = 0;
  for (const ch of text) {
    size += utf8.encode(ch).length;
    if (size > MAX_REASON_BYTES - 3) return `${out}...`;
    out += ch;
  }
  return out;
}
