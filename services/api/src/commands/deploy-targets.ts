import { isEnrolled, matchesSelector, RevisionNotFound, type Application, type Device, type TargetSelection } from '@wasmbed/domain';
import type { Manifest } from '@wasmbed/protocol';
import { fitProblems } from '../admission/device-fit';
import { DevicesCannotRun, type UnfitDevice } from '../admission/errors';
import { revisionManifest } from '../admission/revision-manifest';
import { ResourceNotFound } from '../errors';
import type { DeviceDoc } from '../projections/documents';

export interface TargetResolution {
  /** Sorted (the domain plans waves over a sorted list). */
  readonly targets: string[];
  /** Selected devices left out because they cannot run the revision, sorted. */
  readonly excluded: UnfitDevice[];
}

/**
 * The devices a revision's target selection names. Named devices must all
 * exist (NOT_FOUND) and, where their capabilities are known, be able to run
 * it (FAILED_PRECONDITION listing each one and why). A selector or "all
 * devices" picks enrolled devices with matching labels and leaves out, with
 * the reasons, those that cannot run it.
 */
export function resolveTargets(what: string, selection: TargetSelection, manifest: Manifest, devices: readonly DeviceDoc[]): TargetResolution {
  if ('deviceNames' in selection) {
    const known = new Set(devices.map((d) => d.device.deviceId));
    const missing = selection.deviceNames.filter((name) => !known.has(name));
    if (missing.length > 0) throw new ResourceNotFound('device', [...missing].sort());
    assertNamedDevicesCanRun(what, selection.deviceNames, manifest, devices);
    return { targets: [...selection.deviceNames].sort(), excluded: [] };
  }
  const selector = 'selector' in selection ? selection.selector : {};
  const candidates = devices.map((d) => d.device).filter((device) => isEnrolled(device) && matchesSelector(device.labels, selector));
  const excluded = unfitDevices(candidates, manifest);
  const left = new Set(excluded.map((d) => d.device));
  return { targets: candidates.map((d) => d.deviceId).filter((name) => !left.has(name)).sort(), excluded };
}

/**
 * Refuses (FAILED_PRECONDITION) when a named device that has reported its
 * capabilities cannot run the manifest; names of unknown devices, and devices
 * that never reported capabilities, are not judged here.
 */
export function assertNamedDevicesCanRun(what: string, names: readonly string[], manifest: Manifest, devices: readonly DeviceDoc[]): void {
  const named = new Set(names);
  const judged = devices.map((d) => d.device).filter((device) => named.has(device.deviceId) && device.capabilities !== null);
  const unfit = unfitDevices(judged, manifest);
  if (unfit.length > 0) throw new DevicesCannotRun(what, unfit);
}

/** Devices whose capabilities rule the manifest out (unknown capabilities count as unfit). */
export function unfitDevices(devices: readonly Device[], manifest: Manifest): UnfitDevice[] {
  return devices
    .map((device) => ({
      device: device.deviceId,
      reasons: device.capabilities === null ? ['has not reported its capabilities yet'] : fitProblems(manifest, device.capabilities),
    }))
    .filter((d) => d.reasons.length > 0)
    .sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
}

export interface DeploymentPlan extends TargetResolution {
  readonly revision: number;
}

/** The revision to deploy (0 = latest) and its targets, from the read models. */
export function planDeployment(app: Application, requested: number, devices: readonly DeviceDoc[]): DeploymentPlan {
  const revision = requested === 0 ? app.revisions.length : requested;
  const found = app.revisions[revision - 1];
  if (found === undefined) throw new RevisionNotFound(app.applicationId, revision);
  const what = `revision ${revision} of application '${app.applicationId}'`;
  return { revision, ...resolveTargets(what, found.spec.targets, revisionManifest(app.applicationId, revision, found.spec), devices) };
}
