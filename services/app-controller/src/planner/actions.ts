import type { ApplicationCommand } from '@wasmbed/domain';

/** A domain command as the planner wants it; the executor adds metadata (time, actor) and ids. */
export type CommandIntent = ApplicationCommand extends infer C ? (C extends ApplicationCommand ? Omit<C, 'metadata'> : never) : never;

/** Why a Deploy goes out: a wave's first send, a resend (no outcome yet), or a running device that lost its module. */
export type DeployPurpose = 'rollout' | 'retry' | 'drift';

export interface DeployAction {
  readonly kind: 'deploy';
  readonly appId: string;
  readonly device: string;
  readonly rollout: number;
  readonly revision: number;
  /** Record RecordDeviceDeploymentStarted first, and send only once it is recorded. */
  readonly recordStarted: boolean;
  readonly purpose: DeployPurpose;
}

/** Why a Stop goes out: the application is stopping or being deleted, or the device is no longer a target. */
export type StopPurpose = 'wind-down' | 'orphan';

export interface StopAction {
  readonly kind: 'stop';
  readonly appId: string;
  readonly device: string;
  readonly purpose: StopPurpose;
  /** The attempt scope the stop serves (see attempts.ts). */
  readonly scope: string;
}

export interface CommandAction {
  readonly kind: 'command';
  readonly appId: string;
  /** Names the intent within the application (e.g. `RecordDeviceRunning/r2/d1`): dedupe and command ids derive from it. */
  readonly key: string;
  /** The application's version the decision was taken on. */
  readonly plannedAtVersion: number;
  /** The planner's `now`: the command is decided as of then, so outcomes arriving later are newer than it. */
  readonly decidedAt: number;
  readonly command: CommandIntent;
}

export type Action = DeployAction | StopAction | CommandAction;

/** Builds the command actions of one application as of one planning pass. */
export function commandsFor(appId: string, plannedAtVersion: number, decidedAt: number) {
  return (key: string, command: CommandIntent): CommandAction => ({ kind: 'command', appId, key, plannedAtVersion, decidedAt, command });
}

export type CommandFactory = ReturnType<typeof commandsFor>;
