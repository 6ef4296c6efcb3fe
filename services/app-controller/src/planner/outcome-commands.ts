import type { CommandAction } from './actions';
import type { RolloutPlan } from './context';

/** Device outcomes for the rollout's revision; keyed by rollout and device so one pass never asks twice. */
export function recordRunning(p: RolloutPlan, device: string): CommandAction {
  const { revision, sha256 } = p.module;
  return p.command(`RecordDeviceRunning/r${p.rollout.rollout}/${device}`, {
    type: 'RecordDeviceRunning',
    data: { applicationId: p.app.applicationId, device, revision, sha256 },
  });
}

export function recordFailed(p: RolloutPlan, device: string, reason: string): CommandAction {
  return p.command(`RecordDeviceFailed/r${p.rollout.rollout}/${device}`, {
    type: 'RecordDeviceFailed',
    data: { applicationId: p.app.applicationId, device, revision: p.module.revision, reason },
  });
}
