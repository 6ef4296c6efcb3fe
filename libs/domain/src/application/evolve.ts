import { unknownEvent } from '../shared/assert-never';
import { UnexpectedEvent } from '../shared/errors';
import { deviceMapSet, emptyDeviceMap } from './device-map';
import type { ApplicationEvent } from './events';
import { settledPhase } from './rollout-queries';
import { deviceDeployment, type Application, type ApplicationState, type DeviceDeployment, type Rollout, type RolloutStatus } from './state';

export function evolveApplication(state: ApplicationState, event: ApplicationEvent): ApplicationState {
  if (event.type === 'ApplicationCreated') {
    if (state.phase !== 'Initial') throw new UnexpectedEvent('application', event.type, state.phase);
    return {
      phase: 'Creating',
      applicationId: event.data.applicationId,
      createdAt: event.data.createdAt,
      revisions: [],
      rollout: null,
      goodRevisions: [],
      devices: emptyDeviceMap(),
      pendingStop: [],
    };
  }
  if (state.phase === 'Initial') throw new UnexpectedEvent('application', event.type, state.phase);
  const app = state;

  switch (event.type) {
    case 'ApplicationRevisionCreated': {
      const d = event.data;
      const revision = { revision: d.revision, spec: d.spec, createdAt: d.createdAt, createdBy: d.createdBy, rolloutStatus: 'Pending' as const };
      return { ...app, revisions: [...app.revisions, revision] };
    }
    case 'RolloutStarted': {
      const d = event.data;
      const rollout: Rollout = {
        rollout: d.rollout,
        revision: d.revision,
        kind: d.kind,
        targets: d.targets,
        waves: d.waves,
        strategy: d.strategy,
        status: 'InProgress',
        currentWave: 0,
        completedWaves: 0,
        startedAt: d.startedAt,
      };
      return withRolloutStatus({ ...app, phase: 'Deploying', rollout }, 'InProgress', event.type);
    }
    case 'WaveStarted':
      return { ...app, rollout: { ...activeRollout(app, event.type), currentWave: event.data.waveIndex } };
    case 'WaveCompleted':
      return { ...app, rollout: { ...activeRollout(app, event.type), completedWaves: event.data.waveIndex + 1 } };
    case 'DeviceDeploymentStarted':
      return withDevice(app, event.data.device, { ...event.data, status: 'Deploying', reason: null, since: event.data.startedAt });
    case 'DeviceRunning':
      return withDevice(app, event.data.device, { ...event.data, status: 'Running', reason: null, since: event.data.runningAt });
    case 'DeviceDeploymentFailed':
      return withDevice(app, event.data.device, { ...event.data, status: 'Failed', since: event.data.failedAt });
    case 'RolloutPaused':
      return withRolloutStatus(app, 'Paused', event.type);
    case 'RolloutResumed':
      return withRolloutStatus(app, 'InProgress', event.type);
    case 'RolloutCompleted': {
      const revision = event.data.revision;
      const goodRevisions = [...app.goodRevisions.filter((r) => r !== revision), revision];
      return withRolloutStatus({ ...app, phase: event.data.phase, goodRevisions }, 'Completed', event.type);
    }
    case 'RolloutFailed':
      return withRolloutStatus({ ...app, phase: 'Failed' }, 'Failed', event.type);
    case 'RolloutRolledBack':
      return withRolloutStatus(app, 'RolledBack', event.type);
    case 'ApplicationStopping':
    case 'ApplicationDeleting': {
      const phase = event.type === 'ApplicationStopping' ? 'Stopping' : 'Deleting';
      const next: Application = { ...app, phase, pendingStop: event.data.devices };
      return event.data.cancelledRollout === null ? next : withRolloutStatus(next, 'Cancelled', event.type);
    }
    case 'DeviceStopped': {
      const device = event.data.device;
      const record = deviceDeployment(app, device);
      const devices = record ? deviceMapSet(app.devices, device, { ...record, status: 'Stopped' as const, reason: null, since: event.data.stoppedAt }) : app.devices;
      return { ...app, devices, pendingStop: app.pendingStop.filter((d) => d !== device) };
    }
    case 'ApplicationStopped':
      return { ...app, phase: 'Stopped', pendingStop: [] };
    case 'ApplicationDeleted':
      return { ...app, phase: 'Deleted', pendingStop: [] };
    default:
      return unknownEvent('application', event, app.phase);
  }
}

function activeRollout(app: Application, eventType: string): Rollout {
  if (!app.rollout) throw new UnexpectedEvent('application', eventType, `${app.phase} without a rollout`);
  return app.rollout;
}

/** Sets the rollout's status and mirrors it on its revision. */
function withRolloutStatus(app: Application, status: Exclude<RolloutStatus, 'Pending'>, eventType: string): Application {
  const rollout = { ...activeRollout(app, eventType), status };
  const revisions = app.revisions.map((r) => (r.revision === rollout.revision ? { ...r, rolloutStatus: status } : r));
  return { ...app, rollout, revisions };
}

/**
 * Records a device outcome. Once a rollout has completed, outcomes still arrive
 * (a crash, a recovery) and move the phase between Running and PartiallyRunning.
 */
function withDevice(
  app: Application,
  device: string,
  outcome: Pick<DeviceDeployment, 'rollout' | 'revision' | 'status' | 'since'> & { reason?: string | null },
): Application {
  const record: DeviceDeployment = {
    rollout: outcome.rollout,
    revision: outcome.revision,
    status: outcome.status,
    reason: outcome.reason ?? null,
    since: outcome.since,
  };
  const next = { ...app, devices: deviceMapSet(app.devices, device, record) };
  const settled = next.phase === 'Running' || next.phase === 'PartiallyRunning';
  return settled && next.rollout ? { ...next, phase: settledPhase(next, next.rollout) } : next;
}
