// @wasmbed/device-bus: what the control plane and the gateways say to each other
// on NATS about devices. See README.md for subjects, messages and guarantees.
export {
  ALL_DEVICE_LOG_SUBJECTS,
  ALL_DEVICE_STATUS_SUBJECTS,
  DEVICE_SUBJECT_PREFIX,
  assertDeviceId,
  deviceCommandSubject,
  deviceLogSubject,
  deviceStatusSubject,
  parseDeviceSubject,
  type DeviceSubjectKind,
} from './subjects';
export {
  InvalidBusMessage,
  DeviceLogStoreUnavailable,
  InvalidDeviceId,
  LivenessStoreUnavailable,
  ModuleIntegrityError,
  ModuleNotFound,
  ModuleStoreUnavailable,
} from './errors';
export type { BusError } from './fields';
export { APP_STATES, type AppState, type DeviceError } from './app-state';
export {
  MAX_MANIFEST_BYTES,
  decodeDeviceCommand,
  decodeDeviceCommandReply,
  deviceCommandReplySchema,
  deviceCommandSchema,
  encodeDeviceCommand,
  encodeDeviceCommandReply,
  rebalanceDeviceSchema,
  type DeployToDevice,
  type DeviceBusCommand,
  type DeviceCommand,
  type DeviceCommandReply,
  type RebalanceDevice,
  type StopOnDevice,
} from './commands';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  errorToBusError,
  sendDeviceCommand,
  serveDeviceCommands,
  type DeviceCommandHandler,
  type SendDeviceCommandOptions,
} from './device-commands';
export {
  LOG_LEVELS,
  decodeDeviceLog,
  decodeDeviceStatus,
  deviceLogMessageSchema,
  deviceStatusMessageSchema,
  encodeDeviceLog,
  encodeDeviceStatus,
  type AppStatusChange,
  type DeployResultStatus,
  type DeviceLogMessage,
  type DeviceStatusMessage,
  type StopResultStatus,
} from './status';
export {
  DEFAULT_DEVICE_LOG_RETENTION,
  DEVICE_LOG_STREAM,
  ensureDeviceLogStream,
  readDeviceLogs,
  type DeviceLogQuery,
  type DeviceLogRetention,
  type DeviceLogStreamOptions,
} from './log-stream';
export {
  MAX_MODULE_BYTES,
  MODULE_BUCKET,
  MODULE_STORE_CHUNK_BYTES,
  MODULE_STREAM,
  getModule,
  hasModule,
  openModuleStore,
  putModule,
  sha256Hex,
  type ModuleStoreOptions,
} from './module-store';
export {
  decodeLivenessRecord,
  encodeLivenessRecord,
  livenessRecordSchema,
  type LivenessApp,
  type LivenessRecord,
} from './liveness-record';
export { LIVENESS_BUCKET, LIVENESS_STREAM, LivenessStore, type LivenessChange, type LivenessStoreOptions, type LivenessWatch } from './liveness-store';
