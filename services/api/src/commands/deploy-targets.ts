import { isEnrolled, matchesSelector, RevisionNotFound, type Application, type TargetSelection } from '@wasmbed/domain';
import { ResourceNotFound } from '../errors';
import type { DeviceDoc } from '../projections/documents';

/**
 * The devices a revision's target selection names, sorted (the domain plans
 * waves over a sorted list). Named devices must all exist; a selector or
 * "all devices" picks enrolled devices whose runtime exports every required
 * host function.
 */
export function resolveTargets(selection: TargetSelection, requiredHostFunctions: readonly string[], devices: readonly DeviceDoc[]): string[] {
  if ('deviceNames' in selection) {
    const known = new Set(devices.map((d) => d.device.deviceId));
    const missing = selection.deviceNames.filter((name) => !known.has(name));
    if (missing.length > 0) throw new ResourceNotFound('device', [...missing].sort());
    return [...selection.deviceNames].sort();
  }
  const selector = 'selector' in selection ? selection.selector : {};
  return devices
    .filter(({ device }) => isEnrolled(device) && matchesSelector(device.labels, selector))
    .filter(({ device }) => requiredHostFunctions.every((fn) => device.capabilities?.hostFunctions.includes(fn) ?? false))
    .map(({ device }) => device.deviceId)
    .sort();
}

/** The revision to deploy (0 = latest) and its targets, from the read models. */
export function planDeployment(app: Application, requested: number, devices: readonly DeviceDoc[]): { revision: number; targets: string[] } {
  const revision = requested === 0 ? app.revisions.length : requested;
  const found = app.revisions[revision - 1];
  if (found === undefined) throw new RevisionNotFound(app.applicationId, revision);
  return { revision, targets: resolveTargets(found.spec.targets, found.spec.requiredHostFunctions, devices) };
}
