import type { MessageBodies, MessageType } from './catalog';

/** One decoded message; the envelope's version is implied (PROTOCOL_VERSION). */
export interface MessageOf<T extends MessageType> {
  readonly type: T;
  /** Per sender and session: 1, 2, 3, … */
  readonly msgId: number;
  /** msgId of the request this answers, 0 if none. */
  readonly correlationId: number;
  readonly body: MessageBodies[T];
}

type UnionOf<T extends MessageType> = { [K in T]: MessageOf<K> }[T];

export type DeviceMessageType = 'Hello' | 'Heartbeat' | 'ModuleRequest' | 'DeployResult' | 'StopResult' | 'AppStatus' | 'AppLog' | 'Error';
export type GatewayMessageType =
  | 'Welcome'
  | 'EnrollmentPending'
  | 'Rejected'
  | 'HeartbeatAck'
  | 'Deploy'
  | 'ModuleChunk'
  | 'Stop'
  | 'Error'
  | 'Bye';

export type Message = UnionOf<MessageType>;
/** What a device may send (and a gateway receives). */
export type DeviceMessage = UnionOf<DeviceMessageType>;
/** What a gateway may send (and a device receives). */
export type GatewayMessage = UnionOf<GatewayMessageType>;

export type HelloMessage = MessageOf<'Hello'>;
export type WelcomeMessage = MessageOf<'Welcome'>;
export type EnrollmentPendingMessage = MessageOf<'EnrollmentPending'>;
export type RejectedMessage = MessageOf<'Rejected'>;
export type HeartbeatMessage = MessageOf<'Heartbeat'>;
export type HeartbeatAckMessage = MessageOf<'HeartbeatAck'>;
export type DeployMessage = MessageOf<'Deploy'>;
export type ModuleRequestMessage = MessageOf<'ModuleRequest'>;
export type ModuleChunkMessage = MessageOf<'ModuleChunk'>;
export type DeployResultMessage = MessageOf<'DeployResult'>;
export type StopMessage = MessageOf<'Stop'>;
export type StopResultMessage = MessageOf<'StopResult'>;
export type AppStatusMessage = MessageOf<'AppStatus'>;
export type AppLogMessage = MessageOf<'AppLog'>;
export type ErrorMessage = MessageOf<'Error'>;
export type ByeMessage = MessageOf<'Bye'>;
