import { SessionViolationError, type ProtocolError } from '../errors';
import { HEARTBEAT_MISSES, HELLO_TIMEOUT_MS, PENDING_HOLD_MS } from '../limits';
import { maySend } from '../messages/catalog';
import type { DeviceMessage, Message } from '../messages/types';
import { clip, emit, fatal, outgoing } from './emit';
import { applySend } from './gateway-sends';
import { isNextMsgId } from './message-ids';
import type { SessionAction, SessionConfig, SessionEvent, SessionState, Transition } from './session-types';

/** A state being built by one transition, not yet handed out. */
type Draft = { -readonly [K in keyof SessionState]: SessionState[K] };

export const DEFAULT_SESSION_CONFIG: SessionConfig = {
  helloTimeoutMs: HELLO_TIMEOUT_MS,
  pendingHoldMs: PENDING_HOLD_MS,
  heartbeatMisses: HEARTBEAT_MISSES,
};

/**
 * The protocol's rules for one device session, seen from the gateway, as a pure
 * function: `next(state, event, nowMs) → { state, actions }`. Whatever the device
 * does wrong becomes actions (Error, close); what the gateway itself tries to do
 * wrong throws SessionViolationError. The gateway performs the actions in order.
 */
export class SessionStateMachine {
  readonly config: SessionConfig;

  constructor(config: Partial<SessionConfig> = {}) {
    this.config = { ...DEFAULT_SESSION_CONFIG, ...config };
  }

  /** State right after the TLS handshake. */
  initial(nowMs: number): SessionState {
    return {
      phase: 'AwaitingHello',
      lastReceivedMsgId: 0,
      lastSentMsgId: 0,
      deadlineMs: nowMs + this.config.helloTimeoutMs,
      hello: null,
      heartbeatIntervalMs: null,
      transfer: null,
    };
  }

  next(state: SessionState, event: SessionEvent, nowMs: number): Transition {
    if (state.phase === 'Closed') {
      if (event.kind === 'send') throw new SessionViolationError(`cannot send ${event.message.type}: the session is closed`);
      return { state, actions: [] };
    }
    switch (event.kind) {
      case 'received':
        return this.received(state, event.message, nowMs);
      case 'undecodable':
        return this.undecodable(state, event.error);
      case 'send':
        return applySend(state, event.message, nowMs, this.config);
      case 'tick':
        return this.tick(state, nowMs);
      case 'transportClosed':
        return { state: { ...state, phase: 'Closed', deadlineMs: null }, actions: [] };
    }
  }

  private received(state: SessionState, message: Message, nowMs: number): Transition {
    if (!isNextMsgId(state.lastReceivedMsgId, message.msgId)) {
      return fatal(state, 'replayed_message', `msgId ${message.msgId} after ${state.lastReceivedMsgId}`, message.msgId);
    }
    // This transition's own copy: later steps of the same transition update it in place.
    const s: Draft = { ...state, lastReceivedMsgId: message.msgId };
    if (message.type === 'Error') {
      const deliver: SessionAction = { kind: 'deliver', message };
      if (!message.body.fatal) return { state: s, actions: [deliver] };
      return { state: { ...s, phase: 'Closed', deadlineMs: null }, actions: [deliver, { kind: 'close', reason: 'peer_error' }] };
    }
    if (!maySend('device', message.type)) {
      return fatal(s, 'unexpected_message', `${message.type} is never sent by a device`, message.msgId);
    }
    const inbound = message as DeviceMessage;
    switch (s.phase) {
      case 'AwaitingHello':
        if (inbound.type !== 'Hello') return fatal(s, 'unexpected_message', `expected Hello, got ${inbound.type}`, inbound.msgId);
        return {
          state: { ...s, phase: 'Enrolling', deadlineMs: null, hello: { msgId: inbound.msgId, body: inbound.body } },
          actions: [{ kind: 'deliver', message: inbound }],
        };
      case 'Enrolling':
      case 'Pending':
        return fatal(s, 'unexpected_message', `${inbound.type} before the device is enrolled`, inbound.msgId);
      default:
        return this.receivedEstablished(s, inbound, nowMs);
    }
  }

  private receivedEstablished(s: Draft, message: DeviceMessage, nowMs: number): Transition {
    const deliver: SessionAction = { kind: 'deliver', message };
    switch (message.type) {
      case 'Hello':
        return fatal(s, 'unexpected_message', 'a second Hello', message.msgId);
      case 'Heartbeat': {
        // The hot path (one per heartbeat): no state copy beyond the transition's own.
        const ack = outgoing(s, 'HeartbeatAck', { seq: message.body.seq, serverTimeMs: nowMs }, message.msgId);
        s.lastSentMsgId = ack.message.msgId;
        s.deadlineMs = nowMs + this.config.heartbeatMisses * (s.heartbeatIntervalMs ?? 0);
        return { state: s, actions: [ack, deliver] };
      }
      case 'ModuleRequest': {
        const t = s.transfer;
        const { appId, revision, offset, maxBytes } = message.body;
        const problem =
          t === null || t.appId !== appId || t.revision !== revision
            ? `no transfer of ${appId} revision ${revision} is in progress`
            : t.request !== null
              ? `request ${t.request.msgId} is still outstanding`
              : offset >= t.totalBytes
                ? `offset ${offset} is not below the module size ${t.totalBytes}`
                : null;
        if (problem !== null || t === null) {
          const err = emit(s, 'Error', { code: 'unexpected_message', message: problem ?? '', fatal: false }, message.msgId);
          return { state: err.state, actions: [err.action] };
        }
        return { state: { ...s, transfer: { ...t, request: { msgId: message.msgId, offset, maxBytes } } }, actions: [deliver] };
      }
      case 'DeployResult': {
        const t = s.transfer;
        // A result can cross a Stop on the wire; it is still news for the gateway.
        const done = t !== null && t.appId === message.body.appId && t.revision === message.body.revision;
        return { state: done ? { ...s, transfer: null } : s, actions: [deliver] };
      }
      default:
        return { state: s, actions: [deliver] };
    }
  }

  private undecodable(state: SessionState, error: ProtocolError): Transition {
    const msgId = error.info.msgId;
    // Only an unknown type in an established session is survivable, and it still uses up its msgId.
    if (error.fatal || msgId === undefined || state.phase !== 'Established') {
      return fatal(state, error.protocolCode, error.message, msgId ?? 0);
    }
    if (!isNextMsgId(state.lastReceivedMsgId, msgId)) {
      return fatal(state, 'replayed_message', `msgId ${msgId} after ${state.lastReceivedMsgId}`, msgId);
    }
    const err = emit({ ...state, lastReceivedMsgId: msgId }, 'Error', { code: error.protocolCode, message: clip(error.message), fatal: false }, msgId);
    return { state: err.state, actions: [err.action] };
  }

  private tick(state: SessionState, nowMs: number): Transition {
    if (state.deadlineMs === null || nowMs < state.deadlineMs) return { state, actions: [] };
    switch (state.phase) {
      case 'AwaitingHello':
        return fatal(state, 'timeout', `no Hello within ${this.config.helloTimeoutMs} ms`, 0);
      case 'Pending': {
        const bye = emit(state, 'Bye', { reason: 'pending_timeout' }, 0);
        return { state: { ...bye.state, phase: 'Closed', deadlineMs: null }, actions: [bye.action, { kind: 'close', reason: 'bye' }] };
      }
      default:
        return fatal(state, 'timeout', `no Heartbeat for ${this.config.heartbeatMisses} intervals`, 0);
    }
  }
}
