// Status projection of the read models onto the Device, Application and Gateway custom
// resources, and the coalescing writer of those statuses. See README.md.
export {
  MAX_MESSAGE_CHARS,
  keepTransitionTimes,
  rfc3339,
  type Condition,
  type ConditionStatus,
  type StatusExtra,
} from './conditions';
export { projectDeviceStatus, DEFAULT_MAX_DEVICE_APPLICATIONS, type DeviceStatus, type DeviceStatusExtra, type DeviceApplicationStatus } from './device-status';
export {
  projectApplicationStatus,
  moduleSha256Of,
  DEFAULT_MAX_FAILING_DEVICES,
  DEFAULT_MAX_REVISIONS,
  type ApplicationStatus,
  type ApplicationStatusExtra,
  type FailingDevice,
  type RevisionStatus,
  type RolloutCounts,
} from './application-status';
export { projectGatewayStatus, type GatewayStatus } from './gateway-status';
export { canonicalJson } from './canonical-json';
export { StatusWriter, STATUS_PLURALS, httpStatusOf, type StatusKind, type StatusWriterOptions, type StatusWriterStats } from './status-writer';
