import { DevicePhase } from '@wasmbed/proto';
import { commandIdFor } from '../command-ids';
import type { Step } from '../fleet-commands';
import { deviceSpecFromFleet, fixedFieldConflicts, labelsDiffer, preferredGatewayDiffers, registerDeviceRequest } from '../specs/device-spec';
import { sortedRecord } from '../specs/canonical';
import type { KindRules } from './kind-rules';
import { versionMarker } from './version-marker';

const REVOKED = DevicePhase.DEVICE_PHASE_REVOKED;

export const deviceRules: KindRules<'Device'> = {
  kind: 'Device',
  ...versionMarker,
  vanishes: false,

  // A revoked device keeps its name for good; mirroring it would bring back an object someone deleted.
  mirrors: (device) => device.phase !== REVOKED,

  specFromFleet: (device, current) =>
    current === undefined
      ? deviceSpecFromFleet(device)
      : { ...current, labels: sortedRecord(device.labels), ...(device.preferredGateway ? { preferredGateway: device.preferredGateway } : {}) },

  differs: (spec, device) => labelsDiffer(spec, device) || (device.preferredGateway !== '' && device.preferredGateway !== spec.preferredGateway),

  applySteps({ name, uid, generation, spec, fleet: device }) {
    const id = (step: string) => commandIdFor('Device', uid, generation, step);
    if (device === undefined) return [{ commandId: id('register'), expectedVersion: 0, command: { type: 'RegisterDevice', request: registerDeviceRequest(name, spec) } }];
    if (device.phase === REVOKED) {
      return { reason: 'DeviceRevoked', message: `device '${name}' is revoked in the fleet${device.revocationReason ? ` (${device.revocationReason})` : ''}; its name cannot be used again` };
    }
    const conflicts = fixedFieldConflicts(spec, device);
    if (conflicts.length > 0) {
      return { reason: 'SpecConflict', message: `the fleet's device '${name}' was registered with another ${conflicts.join(', ')}; these cannot change (names are never reused)` };
    }
    const steps: Step[] = [];
    if (labelsDiffer(spec, device)) {
      steps.push({ commandId: id('labels'), expectedVersion: device.version, command: { type: 'UpdateDeviceLabels', request: { name, labels: sortedRecord(spec.labels) } } });
    }
    if (preferredGatewayDiffers(spec, device)) {
      steps.push({
        commandId: id('gateway'),
        expectedVersion: steps.length === 0 ? device.version : 'chain',
        command: { type: 'AssignGateway', request: { name, gateway: spec.preferredGateway! } },
      });
    }
    return steps;
  },

  cleanupSteps: (name, uid) => [
    { commandId: commandIdFor('Device', uid, 'delete', 'revoke'), expectedVersion: 0, command: { type: 'RevokeDevice', request: { name, reason: 'Device object deleted in Kubernetes' } } },
  ],

  cleanedUp: (device) => device === undefined || device.phase === REVOKED,
};
