import type { Command } from '../shared/messages';
import type { ApplicationSpecInput, RolloutStrategy } from './spec';

type AppCommand<T extends string, D = object> = Command<T, { applicationId: string } & D>;

export type CreateApplication = AppCommand<'CreateApplication', { spec: ApplicationSpecInput }>;
/** Adds a revision; deploying it is a separate DeployApplication. */
export type UpdateApplication = AppCommand<'UpdateApplication', { spec: ApplicationSpecInput }>;
/**
 * Starts a rollout of `revision` (default: the latest). `targets` are the device
 * names the caller resolved from the revision's target selection (deciders do no I/O).
 * `strategy` overrides the revision's own for this rollout only.
 */
export type DeployApplication = AppCommand<'DeployApplication', { revision?: number; targets: string[]; strategy?: RolloutStrategy }>;

/** Per-device outcomes, reported by the rollout process manager. */
export type RecordDeviceDeploymentStarted = AppCommand<'RecordDeviceDeploymentStarted', { device: string; revision: number }>;
export type RecordDeviceRunning = AppCommand<'RecordDeviceRunning', { device: string; revision: number; sha256: string }>;
export type RecordDeviceFailed = AppCommand<'RecordDeviceFailed', { device: string; revision: number; reason: string }>;

/**
 * One device outcome inside RecordDeviceOutcomes. `at` (default: the command's
 * `metadata.now`) is when the reporter decided it, so outcomes gathered over a
 * while keep the times their single commands would have had.
 */
export type DeviceOutcome = { device: string; revision: number; at?: string } & (
  | { kind: 'started' }
  | { kind: 'running'; sha256: string }
  | { kind: 'failed'; reason: string }
);
/**
 * Many device outcomes in one decision: the events of the matching single
 * commands (started / running / failed), in order, or one error for all.
 */
export type RecordDeviceOutcomes = AppCommand<'RecordDeviceOutcomes', { outcomes: DeviceOutcome[] }>;

/** Closes wave `waveIndex` of rollout `rollout` once its health gate has passed. */
export type AdvanceWave = AppCommand<'AdvanceWave', { rollout: number; waveIndex: number }>;
export type PauseRollout = AppCommand<'PauseRollout', { reason?: string }>;
export type ResumeRollout = AppCommand<'ResumeRollout'>;
export type RollbackRollout = AppCommand<'RollbackRollout', { reason: string; automatic: boolean }>;

export type StopApplication = AppCommand<'StopApplication'>;
export type RecordDeviceStopped = AppCommand<'RecordDeviceStopped', { device: string }>;
export type DeleteApplication = AppCommand<'DeleteApplication'>;
/** Finishes a deletion without waiting for the devices still listed (unreachable ones, say). */
export type ConfirmDeleted = AppCommand<'ConfirmDeleted'>;

export type ApplicationCommand =
  | CreateApplication
  | UpdateApplication
  | DeployApplication
  | RecordDeviceDeploymentStarted
  | RecordDeviceRunning
  | RecordDeviceFailed
  | RecordDeviceOutcomes
  | AdvanceWave
  | PauseRollout
  | ResumeRollout
  | RollbackRollout
  | StopApplication
  | RecordDeviceStopped
  | DeleteApplication
  | ConfirmDeleted;
