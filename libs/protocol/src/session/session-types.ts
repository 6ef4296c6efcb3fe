import type { ProtocolError, ProtocolErrorCode } from '../errors';
import type { MessageBodies } from '../messages/catalog';
import type { HelloBody } from '../messages/session-bodies';
import type { DeviceMessage, GatewayMessage, GatewayMessageType, Message } from '../messages/types';

/**
 * AwaitingHello → (Hello) → Enrolling → (Welcome) Established / (EnrollmentPending)
 * Pending → (Welcome) Established; any → Closed. Enrolling is the gateway deciding.
 */
export type SessionPhase = 'AwaitingHello' | 'Enrolling' | 'Pending' | 'Established' | 'Closed';

/** The one module transfer a session may have in progress (docs/protocol.md §7.3). */
export interface TransferState {
  readonly appId: string;
  readonly revision: number;
  /** msgId of the Deploy that started it. */
  readonly deployMsgId: number;
  /** The manifest's sizeBytes. */
  readonly totalBytes: number;
  /** The device's ModuleRequest awaiting a ModuleChunk (or an Error), if any. */
  readonly request: { readonly msgId: number; readonly offset: number; readonly maxBytes: number } | null;
}

/** Gateway's view of one device session. Immutable: `next` returns a new one. */
export interface SessionState {
  readonly phase: SessionPhase;
  /** msgId of the last device message accepted (0 before Hello). */
  readonly lastReceivedMsgId: number;
  /** msgId of the last gateway message sent (0 before the first). */
  readonly lastSentMsgId: number;
  /** When the session times out unless something moves it on; null = no timer. */
  readonly deadlineMs: number | null;
  readonly hello: { readonly msgId: number; readonly body: HelloBody } | null;
  readonly heartbeatIntervalMs: number | null;
  readonly transfer: TransferState | null;
}

export interface SessionConfig {
  /** Hello must arrive within this long of the TLS handshake. */
  readonly helloTimeoutMs: number;
  /** A Pending session is closed (Bye pending_timeout) this long after EnrollmentPending. */
  readonly pendingHoldMs: number;
  /** Heartbeat intervals without a Heartbeat after which the device is unreachable. */
  readonly heartbeatMisses: number;
}

/** A message the gateway wants to send; the machine assigns msgId (and the correlationId where the protocol fixes it). */
export type OutgoingMessage = {
  [T in Exclude<GatewayMessageType, 'HeartbeatAck'>]: {
    readonly type: T;
    readonly body: MessageBodies[T];
    readonly correlationId?: number;
  };
}[Exclude<GatewayMessageType, 'HeartbeatAck'>];

export type SessionEvent =
  /** A message decoded from the device (decodeMessage; the machine checks direction itself). */
  | { readonly kind: 'received'; readonly message: Message }
  /** decodeMessage threw. */
  | { readonly kind: 'undecodable'; readonly error: ProtocolError }
  /** The gateway wants to send a message. */
  | { readonly kind: 'send'; readonly message: OutgoingMessage }
  /** Time passed; fires deadlines. */
  | { readonly kind: 'tick' }
  /** The connection is gone. */
  | { readonly kind: 'transportClosed' };

export type SessionAction =
  /** Write `frame` (the framed encoding of `message`) to the device. */
  | { readonly kind: 'send'; readonly message: GatewayMessage; readonly frame: Uint8Array }
  /** Hand a valid, in-order, allowed device message to the gateway's logic. */
  | { readonly kind: 'deliver'; readonly message: DeviceMessage }
  /** Close the connection (after writing the sends before this action). */
  | { readonly kind: 'close'; readonly reason: ProtocolErrorCode | 'rejected' | 'bye' | 'peer_error' };

export interface Transition {
  readonly state: SessionState;
  readonly actions: readonly SessionAction[];
}
