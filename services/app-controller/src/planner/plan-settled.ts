import { deviceMapForEach, eligibleTargets, isDynamicSelection, isRolloutTarget } from '@wasmbed/domain';
import type { Action } from './actions';
import { isActive } from './attestation';
import { attemptFor, mayResend, ORPHAN_SCOPE } from './attempts';
import type { RolloutPlan } from './context';

/**
 * For a selector or "all devices" revision, the targets are re-resolved against
 * the fleet with the api's rule (the domain's eligibleTargets: enrolled, labels
 * match, capabilities reported and able to run the revision): when they differ
 * from the rollout's, DeployApplication of the same revision with the new list
 * starts a rollout over them (devices already running it are then recorded
 * Running without a Deploy).
 */
export function planRetarget(p: RolloutPlan): Action[] {
  const spec = p.app.revisions[p.rollout.revision - 1].spec;
  if (!isDynamicSelection(spec.targets)) return [];
  const targets = eligibleTargets(p.view.devices.values(), spec.targets, spec);
  const current = p.rollout.targets;
  if (targets.length === current.length && targets.every((d, i) => d === current[i])) return [];
  return [
    p.command(`DeployApplication/r${p.rollout.rollout}/retarget`, {
      type: 'DeployApplication',
      data: { applicationId: p.app.applicationId, revision: p.rollout.revision, targets },
    }),
  ];
}

/**
 * A device the application ran on that is no longer a target (it left the
 * selection, or a later revision named other devices) and still runs the app:
 * it is stopped, with the retry back-off. Nothing is recorded: the domain keeps
 * it among the devices to stop should the application be stopped or deleted.
 */
export function planOrphans(p: RolloutPlan): Action[] {
  const appId = p.app.applicationId;
  const actions: Action[] = [];
  // Every pass of a settled application visits all its devices: unordered, so no sort per pass.
  deviceMapForEach(p.app.devices, (record, device) => {
    if (record.status === 'Stopped' || isRolloutTarget(p.rollout, device)) return;
    const attested = p.view.attested.get(device);
    if (attested === undefined || !isActive(attested, appId)) return;
    const attempt = attemptFor(p.view, 'stop', appId, device, ORPHAN_SCOPE);
    if (attempt !== undefined && !mayResend(attempt, attested, p.now, p.settings.retry)) return;
    actions.push({ kind: 'stop', appId, device, purpose: 'orphan', scope: ORPHAN_SCOPE });
  });
  return actions;
}
