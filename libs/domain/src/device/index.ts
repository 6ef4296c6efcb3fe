export type { DeviceCapabilities } from './capabilities';
export type * from './commands';
export type * from './events';
export type { Device, DeviceRevocation, DeviceSession, DeviceState, DeviceStatus, PendingEnrollment } from './state';
export { initialDeviceState, isEnrolled, ENROLLED_STATUSES } from './state';
export { DeviceAlreadyExists, DeviceNotFound, EnrollmentRefused, type EnrollmentRefusal } from './errors';
export { decideDevice } from './decide';
export { evolveDevice } from './evolve';
export { deviceDecider, type DeviceDecider } from './decider';
