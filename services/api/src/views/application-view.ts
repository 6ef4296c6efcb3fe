import {
  deviceMapForEach,
  deviceMapHas,
  type ApplicationPhase as DomainPhase,
  type DeviceDeploymentStatus,
  type ApplicationSpec as DomainSpec,
  type RolloutStatus,
  type TargetSelection,
} from '@wasmbed/domain';
import {
  Application,
  ApplicationPhase,
  RolloutPhase,
  type ApplicationSpec,
  type DeploymentTargets,
  type RolloutStatus as RolloutStatusMessage,
  type RolloutStrategy,
} from '@wasmbed/proto';
import type { ApplicationDoc, RolloutView } from '../projections/documents';
import { optionalDate } from './timestamps';

// Deleted applications have no document, so their phase never reaches a message.
export const APPLICATION_PHASE: Readonly<Record<Exclude<DomainPhase, 'Deleted'>, ApplicationPhase>> = {
  Creating: ApplicationPhase.APPLICATION_PHASE_CREATING,
  Deploying: ApplicationPhase.APPLICATION_PHASE_DEPLOYING,
  Running: ApplicationPhase.APPLICATION_PHASE_RUNNING,
  PartiallyRunning: ApplicationPhase.APPLICATION_PHASE_PARTIALLY_RUNNING,
  Failed: ApplicationPhase.APPLICATION_PHASE_FAILED,
  Stopping: ApplicationPhase.APPLICATION_PHASE_STOPPING,
  Stopped: ApplicationPhase.APPLICATION_PHASE_STOPPED,
  Deleting: ApplicationPhase.APPLICATION_PHASE_DELETING,
};

// v1 has no CANCELLED rollout phase: a cancelled rollout is FAILED, its message says why.
const ROLLOUT_PHASE: Readonly<Record<Exclude<RolloutStatus, 'Pending'>, RolloutPhase>> = {
  InProgress: RolloutPhase.ROLLOUT_PHASE_IN_PROGRESS,
  Paused: RolloutPhase.ROLLOUT_PHASE_PAUSED,
  Completed: RolloutPhase.ROLLOUT_PHASE_COMPLETED,
  RolledBack: RolloutPhase.ROLLOUT_PHASE_ROLLED_BACK,
  Failed: RolloutPhase.ROLLOUT_PHASE_FAILED,
  Cancelled: RolloutPhase.ROLLOUT_PHASE_FAILED,
};

export function applicationPhaseOf(doc: ApplicationDoc): ApplicationPhase {
  const phase = doc.app.phase;
  return phase === 'Deleted' ? ApplicationPhase.APPLICATION_PHASE_UNSPECIFIED : APPLICATION_PHASE[phase];
}

export function toApplicationMessage(doc: ApplicationDoc): Application {
  const app = doc.app;
  return Application.fromPartial({
    name: app.applicationId,
    phase: applicationPhaseOf(doc),
    latestRevision: app.revisions.length,
    deployedRevision: app.rollout?.revision ?? 0,
    revisions: app.revisions.map((r) => {
      const view = doc.rollouts[r.revision];
      return {
        revision: r.revision,
        spec: toSpecMessage(r.spec),
        createdAt: new Date(r.createdAt),
        rollout: view ? toRolloutMessage(view) : undefined,
      };
    }),
    createdAt: new Date(app.createdAt),
    updatedAt: new Date(doc.updatedAt),
    version: doc.version,
  });
}

export function toRolloutMessage(view: RolloutView): RolloutStatusMessage {
  // One pass, unordered (a rollout view may hold thousands of devices); only the failing ones are sorted.
  const counts: Record<DeviceDeploymentStatus, number> = { Deploying: 0, Running: 0, Failed: 0, Stopped: 0 };
  const failing: { device: string; reason: string; failedAt: Date }[] = [];
  deviceMapForEach(view.devices, (outcome, device) => {
    counts[outcome.status] += 1;
    if (outcome.status === 'Failed') failing.push({ device, reason: outcome.reason ?? '', failedAt: new Date(outcome.at) });
  });
  return {
    phase: ROLLOUT_PHASE[view.status],
    currentWave: view.currentWave,
    waves: view.waves.map((devices, index) => ({ index, devices: [...devices] })),
    counts: {
      // Targets with no outcome in this rollout yet: their wave has not reached them.
      pending: view.targets.filter((d) => !deviceMapHas(view.devices, d)).length,
      deploying: counts.Deploying,
      running: counts.Running,
      failed: counts.Failed,
      stopped: counts.Stopped,
    },
    failingDevices: failing.sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0)),
    message: view.message,
    startedAt: new Date(view.startedAt),
    finishedAt: optionalDate(view.finishedAt),
    strategy: toStrategyMessage(view.strategy),
  };
}

/** Read models keep no module bytes (the domain records sha256, size and uri only). */
export function toSpecMessage(spec: DomainSpec): ApplicationSpec {
  return {
    module: {
      sha256: Buffer.from(spec.module.sha256, 'hex'),
      sizeBytes: spec.module.sizeBytes,
      source: spec.module.uri === null ? undefined : { $case: 'uri', value: spec.module.uri },
    },
    manifestSignature: Buffer.from(spec.manifestSignature, 'hex'),
    publisherKey: Buffer.from(spec.publisherKey, 'hex'),
    entryPoint: spec.entryPoint,
    requiredHostFunctions: [...spec.requiredHostFunctions],
    config: { ...spec.config, env: { ...spec.config.env }, args: [...spec.config.args] },
    targets: toTargetsMessage(spec.targets),
    strategy: toStrategyMessage(spec.strategy),
  };
}

function toTargetsMessage(targets: TargetSelection): DeploymentTargets {
  if ('deviceNames' in targets) return { kind: { $case: 'deviceNames', value: { names: [...targets.deviceNames] } } };
  if ('selector' in targets) return { kind: { $case: 'selector', value: { matchLabels: { ...targets.selector } } } };
  return { kind: { $case: 'allDevices', value: true } };
}

function toStrategyMessage(s: DomainSpec['strategy']): RolloutStrategy {
  return {
    canary: s.canary,
    batch: typeof s.batchSize === 'number' ? { $case: 'batchCount', value: s.batchSize } : { $case: 'batchPercent', value: s.batchSize.percent },
    healthGateSeconds: s.healthGateSeconds,
    ...(typeof s.failureThreshold === 'number'
      ? { failureThreshold: s.failureThreshold }
      : { failureThreshold: 0, failureThresholdPercent: s.failureThreshold.percent }),
  };
}
