import type { Schema } from '../schema';
import {
  appLogBody,
  appStatusBody,
  deployBody,
  deployResultBody,
  moduleChunkBody,
  moduleRequestBody,
  stopBody,
  stopResultBody,
  type AppLogBody,
  type AppStatusBody,
  type DeployBody,
  type DeployResultBody,
  type ModuleChunkBody,
  type ModuleRequestBody,
  type StopBody,
  type StopResultBody,
} from './app-bodies';
import {
  byeBody,
  enrollmentPendingBody,
  errorBody,
  heartbeatAckBody,
  heartbeatBody,
  helloBody,
  rejectedBody,
  welcomeBody,
  type ByeBody,
  type EnrollmentPendingBody,
  type ErrorBody,
  type HeartbeatAckBody,
  type HeartbeatBody,
  type HelloBody,
  type RejectedBody,
  type WelcomeBody,
} from './session-bodies';

/** Body type of every message type, by name. */
export interface MessageBodies {
  Hello: HelloBody;
  Welcome: WelcomeBody;
  EnrollmentPending: EnrollmentPendingBody;
  Rejected: RejectedBody;
  Heartbeat: HeartbeatBody;
  HeartbeatAck: HeartbeatAckBody;
  Deploy: DeployBody;
  ModuleRequest: ModuleRequestBody;
  ModuleChunk: ModuleChunkBody;
  DeployResult: DeployResultBody;
  Stop: StopBody;
  StopResult: StopResultBody;
  AppStatus: AppStatusBody;
  AppLog: AppLogBody;
  Error: ErrorBody;
  Bye: ByeBody;
}

export type MessageType = keyof MessageBodies;
export type Sender = 'device' | 'gateway' | 'either';

interface CatalogEntry<T extends MessageType> {
  /** The envelope's `type`: small so that it is one CBOR byte. */
  readonly code: number;
  readonly from: Sender;
  readonly body: Schema<MessageBodies[T]>;
}

/** The wire registry (docs/protocol.md §6). Codes are permanent: never reuse or renumber one. */
export const MESSAGE_CATALOG: { readonly [T in MessageType]: CatalogEntry<T> } = {
  Hello: { code: 1, from: 'device', body: helloBody },
  Welcome: { code: 2, from: 'gateway', body: welcomeBody },
  EnrollmentPending: { code: 3, from: 'gateway', body: enrollmentPendingBody },
  Rejected: { code: 4, from: 'gateway', body: rejectedBody },
  Heartbeat: { code: 5, from: 'device', body: heartbeatBody },
  HeartbeatAck: { code: 6, from: 'gateway', body: heartbeatAckBody },
  Deploy: { code: 7, from: 'gateway', body: deployBody },
  ModuleRequest: { code: 8, from: 'device', body: moduleRequestBody },
  ModuleChunk: { code: 9, from: 'gateway', body: moduleChunkBody },
  DeployResult: { code: 10, from: 'device', body: deployResultBody },
  Stop: { code: 11, from: 'gateway', body: stopBody },
  StopResult: { code: 12, from: 'device', body: stopResultBody },
  AppStatus: { code: 13, from: 'device', body: appStatusBody },
  AppLog: { code: 14, from: 'device', body: appLogBody },
  Error: { code: 15, from: 'either', body: errorBody },
  Bye: { code: 16, from: 'gateway', body: byeBody },
};

export const MESSAGE_TYPES = Object.keys(MESSAGE_CATALOG) as MessageType[];

const TYPE_BY_CODE = new Map<number, MessageType>(MESSAGE_TYPES.map((t) => [MESSAGE_CATALOG[t].code, t]));

export function messageTypeOfCode(code: number): MessageType | undefined {
  return TYPE_BY_CODE.get(code);
}

/** Whether `side` may send messages of `type`. */
export function maySend(side: 'device' | 'gateway', type: MessageType): boolean {
  const from = MESSAGE_CATALOG[type].from;
  return from === 'either' || from === side;
}
