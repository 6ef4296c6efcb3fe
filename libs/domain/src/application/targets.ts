import { compareStrings } from '../shared/canonical';
import { matchesSelector } from '../shared/labels';
import type { DeviceCapabilities } from '../device/capabilities';
import { isEnrolled, type Device } from '../device/state';
import type { ApplicationSpec, TargetSelection } from './spec';

/** A selection resolved against the fleet each time: by labels, or every device. */
export type DynamicTargetSelection = Exclude<TargetSelection, { readonly deviceNames: readonly string[] }>;

/** What of a revision decides whether a device can run it. */
export type RevisionNeeds = Pick<ApplicationSpec, 'module' | 'requiredHostFunctions' | 'config'>;

export function isDynamicSelection(selection: TargetSelection): selection is DynamicTargetSelection {
  return !('deviceNames' in selection);
}

/**
 * Whether a device with these capabilities can run the revision: the module
 * fits its runtime, every required host function is offered (the checks a
 * device makes on Deploy) and the memory limit fits its RAM.
 */
export function canRun(capabilities: DeviceCapabilities, needs: RevisionNeeds): boolean {
  return (
    needs.module.sizeBytes <= capabilities.maxModuleBytes &&
    needs.config.memoryLimitBytes <= capabilities.ramBytes &&
    needs.requiredHostFunctions.every((fn) => capabilities.hostFunctions.includes(fn))
  );
}

/**
 * Whether a selector or "all devices" selection picks this device: it is
 * enrolled (enrolled, connected, disconnected or unreachable), its labels
 * match, it has reported its capabilities and it can run the revision.
 */
export function isEligibleTarget(device: Device, selection: DynamicTargetSelection, needs: RevisionNeeds): boolean {
  if (!isEnrolled(device) || device.capabilities === null) return false;
  if ('selector' in selection && !matchesSelector(device.labels, selection.selector)) return false;
  return canRun(device.capabilities, needs);
}

/** The names of the devices a dynamic selection picks, sorted as the domain plans waves. */
export function eligibleTargets(devices: Iterable<Device>, selection: DynamicTargetSelection, needs: RevisionNeeds): string[] {
  const names: string[] = [];
  for (const device of devices) if (isEligibleTarget(device, selection, needs)) names.push(device.deviceId);
  return names.sort(compareStrings);
}
