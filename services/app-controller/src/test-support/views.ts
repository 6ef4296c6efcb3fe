// Test-only: views for the planner, built from real domain decisions. Excluded from the build.
import {
  applicationDecider,
  initialApplicationState,
  type Application,
  type ApplicationCommand,
  type ApplicationEvent,
  type ApplicationSpecInput,
  type ApplicationState,
  type Device,
} from '@wasmbed/domain';
import type { Action, CommandAction, DeployAction, StopAction } from '../planner/actions';
import { DEFAULT_PLANNER_SETTINGS, type PlannerSettings } from '../planner/settings';
import { foldAppEntry } from '../view/app-entries';
import {
  attemptKey,
  commandMemoKey,
  reportKey,
  type AppEntry,
  type AttestedApp,
  type AttestedDevice,
  type CommandMemo,
  type ControllerView,
  type DeviceAppReports,
  type DeviceAttempt,
} from '../view/types';

export const T0 = Date.parse('2025-03-01T12:00:00.000Z');
/** T0 plus `seconds`, in ms. */
export const at = (seconds: number): number => T0 + seconds * 1000;
export const SHA_1 = '11'.repeat(32);
export const SHA_2 = '22'.repeat(32);
export const APP = 'thermo';

export const SETTINGS: PlannerSettings = DEFAULT_PLANNER_SETTINGS;

export function specInput(overrides: Partial<ApplicationSpecInput> = {}, sha256 = SHA_1): ApplicationSpecInput {
  return {
    module: { sha256, sizeBytes: 2048 },
    manifestSignature: 'ab'.repeat(64),
    publisherKey: 'cd'.repeat(32),
    entryPoint: 'run',
    requiredHostFunctions: ['wasmbed.log'],
    config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 0 },
    targets: { deviceNames: ['d1', 'd2', 'd3'] },
    strategy: { canary: 1, batchSize: 2, healthGateSeconds: 60, failureThreshold: 0 },
    ...overrides,
  };
}

type DataOf<T extends ApplicationCommand['type']> = Omit<Extract<ApplicationCommand, { type: T }>['data'], 'applicationId'>;

/** An application's history, decided by the real decider command after command. */
export class AppHistory {
  readonly events: ApplicationEvent[] = [];
  private state: ApplicationState = initialApplicationState();

  constructor(readonly appId = APP) {}

  static created(spec = specInput(), appId = APP): AppHistory {
    return new AppHistory(appId).run('CreateApplication', { spec }, at(0));
  }

  run<T extends ApplicationCommand['type']>(type: T, data: DataOf<T>, now: number): this {
    const command = { type, data: { applicationId: this.appId, ...data }, metadata: { now: new Date(now).toISOString(), actor: 'test' } } as ApplicationCommand;
    const decided = applicationDecider.decide(command, this.state);
    for (const event of decided) {
      this.events.push(event);
      this.state = applicationDecider.evolve(this.state, event);
    }
    return this;
  }

  get app(): Application {
    return this.state as Application;
  }

  /** The entry as the view holds it (one commit per event, positions 1, 2, …). */
  entry(): AppEntry {
    let entry: AppEntry | undefined;
    this.events.forEach((event, i) => (entry = foldAppEntry(entry, event, i + 1)));
    if (entry === undefined) throw new Error('no events');
    return entry;
  }
}

export function device(deviceId: string, overrides: Partial<Device> = {}): Device {
  return {
    status: 'Connected',
    deviceId,
    publicKey: 'ef'.repeat(32),
    board: 'sim-board',
    architecture: 'wasm32-sim',
    labels: {},
    assignedGateway: 'gw1',
    pendingEnrollment: null,
    capabilities: { firmware: 'fw', board: 'sim-board', arch: 'wasm32-sim', ramBytes: 1 << 20, maxModuleBytes: 1 << 18, maxInstances: 4, hostFunctions: ['wasmbed.log'] },
    session: { sessionId: `s-${deviceId}`, gatewayId: 'gw1', connectedAt: new Date(at(0)).toISOString() },
    lastHeartbeatAt: null,
    registeredAt: new Date(at(0)).toISOString(),
    enrolledAt: new Date(at(0)).toISOString(),
    revocation: null,
    ...overrides,
  };
}

/** A connected device; apps given as [appId, revision, sha256, state, since, restarts?]. */
export function attested(
  apps: [appId: string, revision: number, sha256: string, state: AttestedApp['state'], since: number, restarts?: number][] = [],
  options: { sessionId?: string; sessionSeenAt?: number; goneSince?: Record<string, number> } = {},
): AttestedDevice {
  return {
    sessionId: options.sessionId ?? 'session-1',
    receivedAt: Math.max(at(0), ...apps.map((a) => a[4])),
    sessionSeenAt: options.sessionSeenAt ?? at(0),
    apps: new Map(apps.map(([appId, revision, sha256, state, since, restarts]) => [appId, { revision, sha256, state, restarts: restarts ?? 0, error: state === 'failed' ? { code: 'trap', message: 'unreachable' } : null, since }])),
    goneSince: new Map(Object.entries(options.goneSince ?? {})),
  };
}

export function attempt(kind: DeviceAttempt['kind'], scope: string, overrides: Partial<DeviceAttempt> = {}, appId = APP): DeviceAttempt {
  return {
    kind,
    appId,
    scope,
    revision: kind === 'deploy' ? 1 : null,
    startedAt: null,
    sends: 1,
    firstSentAt: at(0),
    lastSentAt: at(0),
    sessionAtSend: 'session-1',
    inFlight: false,
    lastReply: 'accepted',
    lastError: null,
    ...overrides,
  };
}

export interface ViewParts {
  readonly apps?: AppHistory[];
  readonly devices?: Device[];
  readonly attested?: Record<string, AttestedDevice>;
  readonly reports?: Record<string, DeviceAppReports>;
  /** By `${kind}/${device}` for the default app, e.g. 'deploy/d1'. */
  readonly attempts?: Record<string, DeviceAttempt>;
  readonly commands?: Record<string, CommandMemo>;
}

export function viewOf(parts: ViewParts): ControllerView {
  const apps = new Map((parts.apps ?? []).map((h) => [h.appId, h.entry()]));
  const devices = new Map((parts.devices ?? ['d1', 'd2', 'd3'].map((d) => device(d))).map((d) => [d.deviceId, d]));
  const attempts = new Map(
    Object.entries(parts.attempts ?? {}).map(([key, a]) => {
      const [kind, deviceId] = key.split('/');
      return [attemptKey(kind as DeviceAttempt['kind'], a.appId, deviceId), a];
    }),
  );
  return {
    apps,
    devices,
    attested: new Map(Object.entries(parts.attested ?? {})),
    reports: new Map(Object.entries(parts.reports ?? {})),
    attempts,
    commands: new Map(Object.entries(parts.commands ?? {})),
  };
}

/** Reports of one device about the default app. */
export function reports(deviceId: string, value: Omit<DeviceAppReports, 'appId'>, appId = APP): Record<string, DeviceAppReports> {
  return { [reportKey(deviceId, appId)]: { appId, ...value } };
}

export const memoKey = (key: string, appId = APP): string => commandMemoKey(appId, key);

export const commands = (actions: Action[]): CommandAction['command'][] => actions.filter((a): a is CommandAction => a.kind === 'command').map((a) => a.command);
export const deploys = (actions: Action[]): DeployAction[] => actions.filter((a): a is DeployAction => a.kind === 'deploy');
export const stops = (actions: Action[]): StopAction[] => actions.filter((a): a is StopAction => a.kind === 'stop');
