import { deviceDeployment, deviceMapSet, emptyDeviceMap, type Application, type ApplicationEvent } from '@wasmbed/domain';
import type { DeviceOutcome, RolloutView } from './documents';

type Views = Readonly<Record<string, RolloutView>>;

/**
 * Per-revision rollout progress after one application event. `before` is the
 * application state before the event (the domain keeps only the latest
 * rollout, the read model keeps the latest rollout of every revision).
 */
export function nextRolloutViews(views: Views, event: ApplicationEvent, before: Application | undefined): Views {
  switch (event.type) {
    case 'RolloutStarted': {
      const d = event.data;
      const view: RolloutView = {
        rollout: d.rollout,
        status: 'InProgress',
        currentWave: 0,
        waves: d.waves,
        targets: d.targets,
        strategy: d.strategy,
        devices: emptyDeviceMap(),
        message: '',
        startedAt: d.startedAt,
        finishedAt: null,
      };
      return { ...views, [d.revision]: view };
    }
    case 'WaveStarted':
      return update(views, event.data.rollout, () => ({ currentWave: event.data.waveIndex }));
    case 'DeviceDeploymentStarted':
      return withOutcome(views, event.data.rollout, event.data.device, { status: 'Deploying', reason: null, at: event.data.startedAt });
    case 'DeviceRunning':
      return withOutcome(views, event.data.rollout, event.data.device, { status: 'Running', reason: null, at: event.data.runningAt });
    case 'DeviceDeploymentFailed':
      return withOutcome(views, event.data.rollout, event.data.device, { status: 'Failed', reason: event.data.reason, at: event.data.failedAt });
    case 'RolloutPaused':
      return update(views, event.data.rollout, () => ({ status: 'Paused', message: event.data.reason ?? '' }));
    case 'RolloutResumed':
      return update(views, event.data.rollout, () => ({ status: 'InProgress', message: '' }));
    case 'RolloutCompleted':
      return update(views, event.data.rollout, () => ({ status: 'Completed', message: '', finishedAt: event.data.completedAt }));
    case 'RolloutFailed':
      return update(views, event.data.rollout, () => ({ status: 'Failed', message: event.data.reason, finishedAt: event.data.failedAt }));
    case 'RolloutRolledBack':
      return update(views, event.data.rollout, () => ({
        status: 'RolledBack',
        message: `rolled back to revision ${event.data.toRevision}: ${event.data.reason}`,
        finishedAt: event.data.rolledBackAt,
      }));
    case 'ApplicationStopping':
    case 'ApplicationDeleting': {
      const { cancelledRollout, requestedAt } = event.data;
      if (cancelledRollout === null) return views;
      const why = event.type === 'ApplicationStopping' ? 'the application is stopping' : 'the application is being deleted';
      return update(views, cancelledRollout, () => ({ status: 'Cancelled', message: `cancelled: ${why}`, finishedAt: requestedAt }));
    }
    case 'DeviceStopped': {
      const rollout = before && deviceDeployment(before, event.data.device)?.rollout;
      if (rollout === undefined) return views;
      return withOutcome(views, rollout, event.data.device, { status: 'Stopped', reason: null, at: event.data.stoppedAt });
    }
    default:
      return views;
  }
}

function withOutcome(views: Views, rollout: number, device: string, outcome: DeviceOutcome): Views {
  return update(views, rollout, (view) => ({ devices: deviceMapSet(view.devices, device, outcome) }));
}

/** Changes the view of rollout number `rollout`, if a revision still shows it. */
function update(views: Views, rollout: number, change: (view: RolloutView) => Partial<RolloutView>): Views {
  const entry = Object.entries(views).find(([, view]) => view.rollout === rollout);
  if (!entry) return views;
  const [revision, view] = entry;
  return { ...views, [revision]: { ...view, ...change(view) } };
}
