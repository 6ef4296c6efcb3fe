export type * from './commands';
export type * from './events';
export type {
  Application,
  ApplicationPhase,
  ApplicationState,
  DeviceDeployment,
  DeviceDeploymentStatus,
  Revision,
  Rollout,
  RolloutStatus,
} from './state';
export { deviceDeployment, deviceDeployments, initialApplicationState, latestRevision } from './state';
export {
  DEVICE_MAP_SHARDS,
  deviceMapEntries,
  deviceMapForEach,
  deviceMapFrom,
  deviceMapGet,
  deviceMapHas,
  deviceMapSet,
  emptyDeviceMap,
  type DeviceMap,
} from './device-map';
export { isRolloutTarget, rolloutWaveOf } from './rollout-queries';
export type { ApplicationSpec, ApplicationSpecInput, DeviceCount, ModuleRef, RolloutStrategy, RuntimeConfig, TargetSelection } from './spec';
export { DEFAULT_STRATEGY, requireSpec } from './spec';
export { planWaves, resolveCount, failureAllowance } from './waves';
export { ApplicationAlreadyExists, ApplicationNotFound, NoRollbackTarget, RevisionNotFound, WaveNotReady } from './errors';
export { decideApplication } from './decide';
export { evolveApplication } from './evolve';
export { applicationDecider, type ApplicationDecider } from './decider';
export { canRun, eligibleTargets, isDynamicSelection, isEligibleTarget, type DynamicTargetSelection, type RevisionNeeds } from './targets';
