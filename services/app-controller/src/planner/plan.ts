import { deviceDeployment } from '@wasmbed/domain';
import type { AppEntry, ControllerView } from '../view/types';
import { commandsFor, type Action } from './actions';
import { clipReason, moduleOf } from './attestation';
import { mayRunCommand } from './command-memo';
import type { AppPlan, RolloutPlan } from './context';
import { planRecoveredDevice, planRunningDevice } from './plan-running';
import { planOrphans, planRetarget } from './plan-settled';
import { planAdvance, planWaveDevice } from './plan-wave';
import { planWindDown } from './plan-wind-down';
import type { PlannerSettings } from './settings';

/**
 * The actions that bring every application closer to what its log says it
 * should be, given what the devices attest and what this process already did.
 * Pure: the same view and time give the same actions, and a view that already
 * holds an action's effect (or its attempt) does not give it again.
 */
export function plan(view: ControllerView, now: number, settings: PlannerSettings): Action[] {
  const actions: Action[] = [];
  for (const entry of view.apps.values()) actions.push(...planApplication(view, entry, now, settings));
  return actions.filter((a) => a.kind !== 'command' || mayRunCommand(view, a, now, settings.retry));
}

export function planApplication(view: ControllerView, entry: AppEntry, now: number, settings: PlannerSettings): Action[] {
  const app = entry.app;
  const p: AppPlan = { view, entry, app, now, settings, command: commandsFor(app.applicationId, entry.version, now) };
  switch (app.phase) {
    case 'Deploying':
    case 'Running':
    case 'PartiallyRunning':
      return app.rollout === null ? [] : planRollout({ ...p, rollout: app.rollout, module: moduleOf(app, app.rollout.revision) });
    case 'Failed':
      return planRollback(p);
    case 'Stopping':
    case 'Deleting':
      return planWindDown(p);
    default:
      return [];
  }
}

/**
 * Every target of the latest rollout: the current wave's devices without an
 * outcome are deployed; devices running the revision are watched (failure,
 * drift); once settled, failed devices that recover are recorded Running, the
 * target selection is re-resolved and devices no longer targeted are stopped.
 * AdvanceWave only when nothing else is to be done for the wave.
 */
function planRollout(p: RolloutPlan): Action[] {
  const { app, rollout } = p;
  const active = rollout.status === 'InProgress' || rollout.status === 'Paused';
  const wave = new Set(active ? (rollout.waves[rollout.currentWave] ?? []) : []);
  const settled = app.phase === 'Running' || app.phase === 'PartiallyRunning';
  const actions: Action[] = [];
  let waveBusy = false;
  for (const device of rollout.targets) {
    const record = deviceDeployment(app, device);
    const outcomeInRollout = record?.rollout === rollout.rollout && (record.status === 'Running' || record.status === 'Failed');
    let planned: Action[] = [];
    if (wave.has(device) && !outcomeInRollout) planned = planWaveDevice(p, device);
    else if (record?.revision === rollout.revision && record.status === 'Running') planned = planRunningDevice(p, device, record);
    else if (settled && record?.revision === rollout.revision && record.status === 'Failed') planned = planRecoveredDevice(p, device, record);
    if (planned.length > 0 && wave.has(device)) waveBusy = true;
    actions.push(...planned);
  }
  if (rollout.status === 'InProgress' && !waveBusy) actions.push(...planAdvance(p));
  if (settled) actions.push(...planRetarget(p), ...planOrphans(p));
  return actions;
}

/** A rollout that failed with a revision to go back to is rolled back at once (the domain never rolls back a rollback). */
function planRollback(p: AppPlan): Action[] {
  const { rollout } = p.app;
  const failure = p.entry.lastFailure;
  if (rollout?.status !== 'Failed' || failure?.rollout !== rollout.rollout || failure.rollbackTo === null) return [];
  return [
    p.command(`RollbackRollout/r${rollout.rollout}`, {
      type: 'RollbackRollout',
      data: { applicationId: p.app.applicationId, reason: clipReason(`automatic rollback: ${failure.reason}`), automatic: true },
    }),
  ];
}
