import { deviceMapEntries, deviceMapGet, type DeviceMap } from './device-map';
import type { RolloutKind } from './events';
import type { ApplicationSpec, RolloutStrategy } from './spec';

export type ApplicationPhase =
  | 'Creating'
  | 'Deploying'
  | 'Running'
  | 'PartiallyRunning'
  | 'Failed'
  | 'Stopping'
  | 'Stopped'
  | 'Deleting'
  | 'Deleted';

/** Pending = never deployed; Cancelled = cut short by StopApplication/DeleteApplication. */
export type RolloutStatus = 'Pending' | 'InProgress' | 'Paused' | 'Completed' | 'RolledBack' | 'Failed' | 'Cancelled';

export interface Revision {
  readonly revision: number;
  readonly spec: ApplicationSpec;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Status of the latest rollout of this revision. */
  readonly rolloutStatus: RolloutStatus;
}

export interface Rollout {
  readonly rollout: number;
  readonly revision: number;
  readonly kind: RolloutKind;
  readonly targets: readonly string[];
  readonly waves: readonly (readonly string[])[];
  readonly strategy: RolloutStrategy;
  readonly status: Exclude<RolloutStatus, 'Pending'>;
  readonly currentWave: number;
  readonly completedWaves: number;
  readonly startedAt: string;
}

export type DeviceDeploymentStatus = 'Deploying' | 'Running' | 'Failed' | 'Stopped';

/** What a device last reported for this application. */
export interface DeviceDeployment {
  readonly rollout: number;
  readonly revision: number;
  readonly status: DeviceDeploymentStatus;
  readonly reason: string | null;
  readonly since: string;
}

export interface Application {
  readonly phase: ApplicationPhase;
  readonly applicationId: string;
  readonly createdAt: string;
  /** revisions[n - 1] is revision n. */
  readonly revisions: readonly Revision[];
  /** The latest rollout (active or finished); null before the first deploy. */
  readonly rollout: Rollout | null;
  /** Revisions whose rollout completed, oldest first, each listed once (at its latest completion). */
  readonly goodRevisions: readonly number[];
  /** What each device last reported; read it with deviceDeployment / deviceDeployments. */
  readonly devices: DeviceMap<DeviceDeployment>;
  /** Devices still to confirm stopped while Stopping/Deleting. */
  readonly pendingStop: readonly string[];
}

export type ApplicationState = { readonly phase: 'Initial' } | Application;

export function initialApplicationState(): ApplicationState {
  return { phase: 'Initial' };
}

export function latestRevision(app: Application): number {
  return app.revisions.length;
}

/** What `device` last reported for the application (undefined: never deployed to it, or no application yet). */
export function deviceDeployment(app: ApplicationState, device: string): DeviceDeployment | undefined {
  return app.phase === 'Initial' ? undefined : deviceMapGet(app.devices, device);
}

/** Every device the application was deployed to, with its record, sorted by device name. */
export function deviceDeployments(app: ApplicationState): [string, DeviceDeployment][] {
  return app.phase === 'Initial' ? [] : deviceMapEntries(app.devices);
}
