import type { AppState, DeviceError } from '@wasmbed/device-bus';
import type { Application, Device, RolloutFailed } from '@wasmbed/domain';

/**
 * Everything the planner looks at, in one value: the logs folded with the
 * domain's own evolve, what devices attest (liveness bucket, status subject) and
 * what this process has already done (device command attempts, domain commands).
 * Times are milliseconds on this process' clock unless named otherwise.
 */
export interface ControllerView {
  readonly apps: ReadonlyMap<string, AppEntry>;
  readonly devices: ReadonlyMap<string, Device>;
  /** Connected devices by deviceId (a liveness record exists). */
  readonly attested: ReadonlyMap<string, AttestedDevice>;
  /** Status messages by reportKey(deviceId, appId). */
  readonly reports: ReadonlyMap<string, DeviceAppReports>;
  /** Device commands sent by this process, by attemptKey(kind, appId, deviceId). */
  readonly attempts: ReadonlyMap<string, DeviceAttempt>;
  /** Domain commands run by this process, by commandMemoKey(appId, key). */
  readonly commands: ReadonlyMap<string, CommandMemo>;
}

export interface AppEntry {
  readonly app: Application;
  /** Position of the last commit of this application's stream folded in. */
  readonly version: number;
  /** When the stop or delete under way was requested (its event's time). */
  readonly windDownRequestedAt: number | null;
  /** The last RolloutFailed, for its rollbackTo. */
  readonly lastFailure: RolloutFailed['data'] | null;
}

/** One app as a connected device reports it. */
export interface AttestedApp {
  readonly revision: number;
  readonly sha256: string;
  readonly state: AppState;
  readonly restarts: number;
  readonly error: DeviceError | null;
  /** Since when the device has reported it exactly so (revision, hash, state, restarts). */
  readonly since: number;
}

export interface AttestedDevice {
  readonly sessionId: string;
  /** When the last record arrived. */
  readonly receivedAt: number;
  readonly apps: ReadonlyMap<string, AttestedApp>;
  /** When the first record of this session arrived: an app not listed has been absent since then at least. */
  readonly sessionSeenAt: number;
  /** Apps listed earlier in this session and no longer, with when they went. */
  readonly goneSince: ReadonlyMap<string, number>;
}

export interface DeployReport {
  readonly revision: number;
  readonly ok: boolean;
  readonly sha256: string | null;
  readonly error: DeviceError | null;
  readonly receivedAt: number;
}

export interface AppStatusReport {
  readonly revision: number;
  readonly state: AppState;
  readonly restarts: number;
  readonly error: DeviceError | null;
  readonly receivedAt: number;
}

export interface StopReport {
  readonly ok: boolean;
  readonly error: DeviceError | null;
  readonly receivedAt: number;
}

/** The latest status message of each kind about one app on one device. */
export interface DeviceAppReports {
  readonly appId: string;
  readonly deploy?: DeployReport;
  readonly status?: AppStatusReport;
  readonly stop?: StopReport;
}

/**
 * How a device command's reply is read: `accepted` (the device took it),
 * `busy` (another deploy to that device is in progress), `rejected` (this
 * deploy can never succeed there: bad manifest or signature, unmet requirements)
 * or `transport` (offline, timeout, gateway trouble: try again later).
 */
export type ReplyKind = 'accepted' | 'busy' | 'rejected' | 'transport';

export interface DeviceAttempt {
  readonly kind: 'deploy' | 'stop';
  readonly appId: string;
  /** What the attempt serves (a rollout, a stop request): an attempt of another scope is stale. */
  readonly scope: string;
  /** Deploy only: the revision sent. */
  readonly revision: number | null;
  /** Deploy only: DeviceDeploymentStarted is recorded for this rollout, and when. */
  readonly startedAt: number | null;
  readonly sends: number;
  readonly firstSentAt: number | null;
  readonly lastSentAt: number | null;
  /** The device's session when the last command went out (null: it was offline). */
  readonly sessionAtSend: string | null;
  readonly inFlight: boolean;
  readonly lastReply: ReplyKind | null;
  readonly lastError: string | null;
}

export interface CommandMemo {
  readonly appId: string;
  readonly inFlight: boolean;
  /** The application's version the command was planned at. */
  readonly plannedAtVersion: number;
  /** applied: it recorded events; unchanged: the domain decided nothing; refused: it threw. */
  readonly outcome: 'applied' | 'unchanged' | 'refused' | null;
  /** Stream version after the command (applied): the view must reach it before planning it again. */
  readonly resultVersion: number;
  readonly finishedAt: number;
  /** Consecutive unchanged/refused outcomes at this version, for the back-off. */
  readonly misses: number;
}

export const reportKey = (deviceId: string, appId: string): string => `${deviceId}/${appId}`;
export const attemptKey = (kind: DeviceAttempt['kind'], appId: string, deviceId: string): string => `${kind}:${appId}/${deviceId}`;
export const commandMemoKey = (appId: string, key: string): string => `${appId}:${key}`;
