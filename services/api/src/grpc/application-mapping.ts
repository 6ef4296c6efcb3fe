import {
  InvalidCommand,
  type ApplicationSpecInput,
  type CommandMetadata,
  type CreateApplication,
  type DeleteApplication,
  type DeployApplication,
  type PauseRollout,
  type ResumeRollout,
  type RollbackRollout,
  type RolloutStrategy as DomainStrategy,
  type StopApplication,
  type UpdateApplication,
} from '@wasmbed/domain';
import {
  RuntimeConfig,
  type ApplicationSpec,
  type DeploymentTargets,
  type PauseRolloutRequest,
  type RollbackRolloutRequest,
  type RolloutStrategy,
} from '@wasmbed/proto';

/**
 * ApplicationService requests as domain commands. The domain keeps no module
 * bytes: inline content is put in the module store by the operation, and the
 * spec records only the module's SHA-256 and size (and `uri` when given).
 */
export function toSpecInput(spec: ApplicationSpec): ApplicationSpecInput {
  // Unset messages read as their defaults, as proto3 defines them; the domain then names what is missing.
  const module = spec.module;
  const config = spec.config ?? RuntimeConfig.fromPartial({});
  return {
    module: {
      sha256: module?.sha256.toString('hex') ?? '',
      sizeBytes: module?.sizeBytes ?? 0,
      uri: module?.source?.$case === 'uri' ? module.source.value : null,
    },
    manifestSignature: spec.manifestSignature.toString('hex'),
    publisherKey: spec.publisherKey.toString('hex'),
    entryPoint: spec.entryPoint,
    requiredHostFunctions: [...spec.requiredHostFunctions],
    config: {
      memoryLimitBytes: config.memoryLimitBytes,
      cpuTimeLimitMs: config.cpuTimeLimitMs,
      env: { ...config.env },
      args: [...config.args],
      autoRestart: config.autoRestart,
      maxRestarts: config.maxRestarts,
    },
    targets: toTargetsInput(spec.targets),
    strategy: spec.strategy === undefined ? undefined : toStrategy(spec.strategy),
  };
}

function toTargetsInput(targets: DeploymentTargets | undefined): ApplicationSpecInput['targets'] {
  switch (targets?.kind?.$case) {
    case 'deviceNames':
      return { deviceNames: [...targets.kind.value.names] };
    case 'selector':
      return { selector: { ...targets.kind.value.matchLabels } };
    case 'allDevices':
      return { allDevices: targets.kind.value };
    default:
      // No kind: the domain answers "must set exactly one of deviceNames, selector, allDevices".
      return {};
  }
}

/** An unset batch means "all remaining devices in one wave", i.e. 100 %. */
export function toStrategy(strategy: RolloutStrategy): DomainStrategy {
  const batch = strategy.batch;
  return {
    canary: strategy.canary,
    batchSize: batch?.$case === 'batchCount' ? batch.value : { percent: batch?.$case === 'batchPercent' ? batch.value : 100 },
    healthGateSeconds: strategy.healthGateSeconds,
    failureThreshold: failureThresholdOf(strategy),
  };
}

/** A count, or a percent when failure_threshold_percent is set (then the count must be 0). */
function failureThresholdOf(strategy: RolloutStrategy): DomainStrategy['failureThreshold'] {
  if (strategy.failureThresholdPercent === undefined) return strategy.failureThreshold;
  if (strategy.failureThreshold !== 0) {
    throw new InvalidCommand('strategy.failureThreshold', 'must be 0 when failureThresholdPercent is set (a threshold is a count or a percent, not both)');
  }
  return { percent: strategy.failureThresholdPercent };
}

type NamedRequest = { readonly name: string };

/** Create and update requests once the edge has checked that `spec` is set. */
export type WithSpec<Req> = Req & { readonly spec: ApplicationSpec };

export function toCreateApplication(req: NamedRequest & { spec: ApplicationSpec }, metadata: CommandMetadata): CreateApplication {
  return { type: 'CreateApplication', data: { applicationId: req.name, spec: toSpecInput(req.spec) }, metadata };
}

export function toUpdateApplication(req: NamedRequest & { spec: ApplicationSpec }, metadata: CommandMetadata): UpdateApplication {
  return { type: 'UpdateApplication', data: { applicationId: req.name, spec: toSpecInput(req.spec) }, metadata };
}

/** `targets` are the device names resolved from the revision's target selection, sorted. */
/** `strategy` (this rollout only) is left out when unset, so the revision's own applies. */
export function toDeployApplication(name: string, revision: number, targets: string[], metadata: CommandMetadata, strategy?: RolloutStrategy): DeployApplication {
  return { type: 'DeployApplication', data: { applicationId: name, revision, targets, ...(strategy === undefined ? {} : { strategy: toStrategy(strategy) }) }, metadata };
}

export function toStopApplication(req: NamedRequest, metadata: CommandMetadata): StopApplication {
  return { type: 'StopApplication', data: { applicationId: req.name }, metadata };
}

export function toDeleteApplication(req: NamedRequest, metadata: CommandMetadata): DeleteApplication {
  return { type: 'DeleteApplication', data: { applicationId: req.name }, metadata };
}

export function toPauseRollout(req: PauseRolloutRequest, metadata: CommandMetadata): PauseRollout {
  return { type: 'PauseRollout', data: { applicationId: req.name, reason: req.reason === '' ? undefined : req.reason }, metadata };
}

export function toResumeRollout(req: NamedRequest, metadata: CommandMetadata): ResumeRollout {
  return { type: 'ResumeRollout', data: { applicationId: req.name }, metadata };
}

/** An operator's rollback; the domain picks the revision (the last one whose rollout completed). */
export function toRollbackRollout(req: RollbackRolloutRequest, metadata: CommandMetadata): RollbackRollout {
  return { type: 'RollbackRollout', data: { applicationId: req.name, reason: req.reason, automatic: false }, metadata };
}
