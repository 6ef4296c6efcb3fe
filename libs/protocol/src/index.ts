// @wasmbed/protocol — the device ↔ gateway protocol of docs/protocol.md.

export {
  PROTOCOL_ERROR_CODES,
  isProtocolErrorCode,
  ProtocolError,
  FrameTooLargeError,
  ZeroLengthFrameError,
  TruncatedFrameError,
  SessionViolationError,
} from './errors';
export type { ProtocolErrorCode, ProtocolErrorInfo } from './errors';

export * from './limits';

export { encodeFrame, FrameDecoder } from './framing';
export type { FrameDecoderOptions } from './framing';

export { encodeCbor } from './cbor/encode';
export { decodeCbor } from './cbor/decode';
export type { DecodeCborOptions } from './cbor/decode';
export { CborFloat } from './cbor/values';
export type { CborValue, CborMap } from './cbor/values';

export { APP_STATES, ID_PATTERN, CODE_PATTERN, HOST_FUNCTION_PATTERN, ENDPOINT_PATTERN, DEVICE_FEATURES, MAX_FEATURES } from './fields';
export type { AppState, AppSummary, ErrorInfo } from './fields';
export { LOG_LEVELS } from './messages/app-bodies';
export type {
  LogLevel,
  DeployBody,
  ModuleRequestBody,
  ModuleChunkBody,
  DeployResultBody,
  StopBody,
  StopResultBody,
  AppStatusBody,
  AppLogBody,
} from './messages/app-bodies';
export type {
  RuntimeInfo,
  HelloBody,
  WelcomeBody,
  EnrollmentPendingBody,
  RejectedBody,
  HeartbeatBody,
  HeartbeatAckBody,
  ErrorBody,
  ByeBody,
} from './messages/session-bodies';
export { MESSAGE_CATALOG, MESSAGE_TYPES, messageTypeOfCode, maySend } from './messages/catalog';
export type { MessageBodies, MessageType, Sender } from './messages/catalog';
export type * from './messages/types';
export { encodeMessage, encodeMessageFrame, decodeMessage, decodeDeviceMessage, decodeGatewayMessage } from './messages/codec';

export { encodeManifest, decodeManifest, ENTRY_POINT_PATTERN, ENV_NAME_PATTERN } from './manifest/manifest';
export type { Manifest, ManifestConfig, RestartPolicy } from './manifest/manifest';
export { manifestFromSource, type ManifestSource } from './manifest/from-spec';
export { signManifest, verifyManifest, moduleSha256 } from './manifest/signing';
export { checkManifestAgainst } from './manifest/admission';
export type { ManifestProblem, RuntimeCapabilities } from './manifest/admission';
export {
  ED25519_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  ed25519PublicKeyFromRaw,
  ed25519PrivateKeyFromSeed,
  rawEd25519PublicKey,
  rawEd25519Seed,
} from './keys';

export { MessageIdTracker, isNextMsgId } from './session/message-ids';
export { SessionStateMachine, DEFAULT_SESSION_CONFIG } from './session/session-machine';
export type {
  SessionPhase,
  SessionState,
  SessionConfig,
  SessionEvent,
  SessionAction,
  OutgoingMessage,
  TransferState,
  Transition,
} from './session/session-types';
