import type { Event } from '../shared/messages';
import type { ApplicationSpec, RolloutStrategy } from './spec';

type AppEvent<T extends string, D> = Event<T, { applicationId: string } & D>;

/** 'deploy' = DeployApplication; 'rollback' = RollbackRollout re-deploying a good revision. */
export type RolloutKind = 'deploy' | 'rollback';

export type ApplicationCreated = AppEvent<'ApplicationCreated', { createdAt: string; createdBy: string }>;
export type ApplicationRevisionCreated = AppEvent<
  'ApplicationRevisionCreated',
  { revision: number; spec: ApplicationSpec; createdAt: string; createdBy: string }
>;
export type RolloutStarted = AppEvent<
  'RolloutStarted',
  {
    rollout: number;
    revision: number;
    kind: RolloutKind;
    targets: string[];
    waves: string[][];
    strategy: RolloutStrategy;
    startedAt: string;
    startedBy: string;
  }
>;
export type WaveStarted = AppEvent<'WaveStarted', { rollout: number; waveIndex: number; devices: string[]; startedAt: string }>;
export type DeviceDeploymentStarted = AppEvent<
  'DeviceDeploymentStarted',
  { rollout: number; revision: number; device: string; startedAt: string }
>;
export type DeviceRunning = AppEvent<
  'DeviceRunning',
  { rollout: number; revision: number; device: string; sha256: string; runningAt: string }
>;
export type DeviceDeploymentFailed = AppEvent<
  'DeviceDeploymentFailed',
  { rollout: number; revision: number; device: string; reason: string; failedAt: string }
>;
export type WaveCompleted = AppEvent<
  'WaveCompleted',
  { rollout: number; waveIndex: number; running: number; failed: number; completedAt: string }
>;
export type RolloutPaused = AppEvent<'RolloutPaused', { rollout: number; reason: string | null; pausedAt: string; pausedBy: string }>;
export type RolloutResumed = AppEvent<'RolloutResumed', { rollout: number; resumedAt: string; resumedBy: string }>;
export type RolloutCompleted = AppEvent<
  'RolloutCompleted',
  {
    rollout: number;
    revision: number;
    phase: 'Running' | 'PartiallyRunning';
    /** Targets running the revision / targets whose deployment failed in this rollout. */
    running: number;
    failed: number;
    completedAt: string;
  }
>;
/**
 * A wave crossed its failure threshold. `rollbackTo` is the revision the process
 * manager should roll back to (RollbackRollout with automatic: true), or null if none.
 */
export type RolloutFailed = AppEvent<
  'RolloutFailed',
  {
    rollout: number;
    revision: number;
    waveIndex: number;
    failedDevices: string[];
    reason: string;
    rollbackTo: number | null;
    failedAt: string;
  }
>;
export type RolloutRolledBack = AppEvent<
  'RolloutRolledBack',
  {
    rollout: number;
    revision: number;
    toRevision: number;
    reason: string;
    automatic: boolean;
    rolledBackAt: string;
    rolledBackBy: string;
  }
>;
/** `devices` still run the application and must be stopped; an unfinished rollout is cancelled. */
export type ApplicationStopping = AppEvent<
  'ApplicationStopping',
  { devices: string[]; cancelledRollout: number | null; requestedAt: string; requestedBy: string }
>;
export type DeviceStopped = AppEvent<'DeviceStopped', { device: string; stoppedAt: string }>;
export type ApplicationStopped = AppEvent<'ApplicationStopped', { stoppedAt: string }>;
export type ApplicationDeleting = AppEvent<
  'ApplicationDeleting',
  { devices: string[]; cancelledRollout: number | null; requestedAt: string; requestedBy: string }
>;
/** `abandonedDevices`: devices never confirmed stopped (ConfirmDeleted). */
export type ApplicationDeleted = AppEvent<'ApplicationDeleted', { abandonedDevices: string[]; deletedAt: string; deletedBy: string }>;

export type ApplicationEvent =
  | ApplicationCreated
  | ApplicationRevisionCreated
  | RolloutStarted
  | WaveStarted
  | DeviceDeploymentStarted
  | DeviceRunning
  | DeviceDeploymentFailed
  | WaveCompleted
  | RolloutPaused
  | RolloutResumed
  | RolloutCompleted
  | RolloutFailed
  | RolloutRolledBack
  | ApplicationStopping
  | DeviceStopped
  | ApplicationStopped
  | ApplicationDeleting
  | ApplicationDeleted;
