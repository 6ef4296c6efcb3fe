import type { DeviceError } from '@wasmbed/device-bus';
import type { Application, RuntimeConfig } from '@wasmbed/domain';
import type { AttestedApp, AttestedDevice } from '../view/types';

/** The module a revision deploys, and the restart policy the device applies to it. */
export interface TargetModule {
  readonly revision: number;
  readonly sha256: string;
  readonly restart: Pick<RuntimeConfig, 'autoRestart' | 'maxRestarts'>;
}

export function moduleOf(app: Application, revision: number): TargetModule {
  const spec = app.revisions[revision - 1].spec;
  return { revision, sha256: spec.module.sha256, restart: spec.config };
}

/** The device holds this revision's module (whatever it is doing with it). */
export function holdsModule(app: AttestedApp | undefined, module: TargetModule): app is AttestedApp {
  return app?.revision === module.revision && app.sha256 === module.sha256;
}

export function runsModule(app: AttestedApp | undefined, module: TargetModule): boolean {
  return holdsModule(app, module) && app.state === 'running';
}

/**
 * A failed app stays failed only when the device will not restart it: no
 * auto-restart, or its restarts used up. Before that a failure is a restart under way.
 */
export function isFinalFailure(restarts: number, restart: TargetModule['restart']): boolean {
  return !restart.autoRestart || restarts >= restart.maxRestarts;
}

/**
 * Since when a connected device has not held this module (absent, or another
 * revision or hash), or null when it holds it.
 */
export function mismatchSince(device: AttestedDevice, appId: string, module: TargetModule): number | null {
  const app = device.apps.get(appId);
  if (app === undefined) return device.goneSince.get(appId) ?? device.sessionSeenAt;
  return app.revision === module.revision && app.sha256 === module.sha256 ? null : app.since;
}

/** The app is gone from the device: not listed, or stopped. */
export function isGone(device: AttestedDevice, appId: string): boolean {
  const app = device.apps.get(appId);
  return app === undefined || app.state === 'stopped';
}

/** The app is active on the device (starting or running). */
export function isActive(device: AttestedDevice, appId: string): boolean {
  const state = device.apps.get(appId)?.state;
  return state === 'starting' || state === 'running';
}

/** Domain reasons are at most 1024 characters. */
export function clipReason(reason: string): string {
  return reason.length <= 1024 ? reason : `${reason.slice(0, 1021)}...`;
}

export function describeDeviceError(error: DeviceError | null): string {
  return error === null ? 'no reason given' : `${error.code}: ${error.message}`;
}
