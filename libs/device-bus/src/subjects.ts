import { NAME_PATTERN } from '@wasmbed/domain';
import { InvalidDeviceId } from './errors';

/** Every device subject starts here: `wasmbed.device.<deviceId>.<kind>`. */
export const DEVICE_SUBJECT_PREFIX = 'wasmbed.device';

/**
 * Device names are DNS labels (the domain's NAME_PATTERN), so they are always one
 * safe subject token: no dots, wildcards or spaces can reach a subject.
 */
export function assertDeviceId(deviceId: string): string {
  if (!NAME_PATTERN.test(deviceId)) throw new InvalidDeviceId(deviceId);
  return deviceId;
}

/** Request/reply: answered by the gateway holding the device's session; no responders = offline. */
export function deviceCommandSubject(deviceId: string): string {
  return `${DEVICE_SUBJECT_PREFIX}.${assertDeviceId(deviceId)}.cmd`;
}

/** Attested app status changes and command outcomes, published by the gateway. */
export function deviceStatusSubject(deviceId: string): string {
  return `${DEVICE_SUBJECT_PREFIX}.${assertDeviceId(deviceId)}.status`;
}

/** App log lines forwarded by the gateway. */
export function deviceLogSubject(deviceId: string): string {
  return `${DEVICE_SUBJECT_PREFIX}.${assertDeviceId(deviceId)}.log`;
}

/** Wildcards for subscribers following every device (the api, a dashboard). */
export const ALL_DEVICE_STATUS_SUBJECTS = `${DEVICE_SUBJECT_PREFIX}.*.status`;
export const ALL_DEVICE_LOG_SUBJECTS = `${DEVICE_SUBJECT_PREFIX}.*.log`;

export type DeviceSubjectKind = 'cmd' | 'status' | 'log';

/** The device and kind of a device subject, or undefined for any other subject. */
export function parseDeviceSubject(subject: string): { deviceId: string; kind: DeviceSubjectKind } | undefined {
  const parts = subject.split('.');
  if (parts.length !== 4 || `${parts[0]}.${parts[1]}` !== DEVICE_SUBJECT_PREFIX) return undefined;
  const [, , deviceId, kind] = parts;
  if (!NAME_PATTERN.test(deviceId) || (kind !== 'cmd' && kind !== 'status' && kind !== 'log')) return undefined;
  return { deviceId, kind };
}
