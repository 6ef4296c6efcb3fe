import type { Device, RegisterDeviceRequest } from '@wasmbed/proto';
import type { DeviceSpec } from '../resources';
import { bytesToBase64, sameRecord, sortedRecord } from './canonical';

/** The Device spec the fleet's device stands for (for objects the sync creates or adopts). */
export function deviceSpecFromFleet(device: Device): DeviceSpec {
  return {
    publicKey: bytesToBase64(device.publicKey),
    board: device.board,
    architecture: device.architecture,
    labels: sortedRecord(device.labels),
    ...(device.preferredGateway ? { preferredGateway: device.preferredGateway } : {}),
  };
}

export function registerDeviceRequest(name: string, spec: DeviceSpec): Omit<RegisterDeviceRequest, 'commandId' | 'expectedVersion'> {
  return {
    name,
    publicKey: Buffer.from(spec.publicKey, 'base64'),
    board: spec.board,
    architecture: spec.architecture,
    labels: sortedRecord(spec.labels),
    preferredGateway: spec.preferredGateway ?? '',
  };
}

/**
 * Spec fields that differ from the fleet's device and that no command can change (the
 * device registered under this name with another key, board or architecture).
 */
export function fixedFieldConflicts(spec: DeviceSpec, device: Device): string[] {
  const conflicts: string[] = [];
  if (bytesToBase64(device.publicKey) !== spec.publicKey) conflicts.push('publicKey');
  if (device.board !== spec.board) conflicts.push(`board (fleet: ${device.board})`);
  if (device.architecture !== spec.architecture) conflicts.push(`architecture (fleet: ${device.architecture})`);
  return conflicts;
}

export const labelsDiffer = (spec: DeviceSpec, device: Device): boolean => !sameRecord(spec.labels, device.labels);

/** An empty spec value expresses no preference: the fleet cannot clear an assignment. */
export const preferredGatewayDiffers = (spec: DeviceSpec, device: Device): boolean =>
  (spec.preferredGateway ?? '') !== '' && spec.preferredGateway !== device.preferredGateway;
