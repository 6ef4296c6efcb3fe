/**
 * The baseline: the api's read models as its own Watch streams deliver them — the moment
 * the control plane knows, before any Kubernetes status is written.
 */
import type { ClientReadableStream } from '@grpc/grpc-js';
import { ApplicationPhase, ChangeKind, DevicePhase, type Application, type ApplicationChange, type Device, type DeviceChange } from '@wasmbed/proto';
import type { ControlPlane } from './control-plane';
import { Converger } from './converger';

export interface ReadModelWatch {
  readonly devices: Converger<Device>;
  readonly applications: Converger<Application>;
  stop(): void;
}

function follow<C>(stream: ClientReadableStream<C>, apply: (change: C) => void): void {
  stream.on('data', apply);
  // Cancelled by stop(); anything else ends the baseline, which the timeouts report.
  stream.on('error', () => undefined);
}

export function watchReadModels(plane: ControlPlane): ReadModelWatch {
  const devices = new Converger<Device>();
  const applications = new Converger<Application>();
  const deviceStream = plane.devices.watchDevices({ labelSelector: '', phase: DevicePhase.DEVICE_PHASE_UNSPECIFIED });
  const appStream = plane.apps.watchApplications({ phase: ApplicationPhase.APPLICATION_PHASE_UNSPECIFIED });
  follow(deviceStream, (c: DeviceChange) => c.device && devices.update(c.device.name, c.kind === ChangeKind.CHANGE_KIND_DELETED ? undefined : c.device));
  follow(appStream, (c: ApplicationChange) => c.application && applications.update(c.application.name, c.kind === ChangeKind.CHANGE_KIND_DELETED ? undefined : c.application));
  return {
    devices,
    applications,
    stop() {
      deviceStream.cancel();
      appStream.cancel();
    },
  };
}

/** The application runs `revision` on all `count` targets, as the read model says. */
export const appRunningInReadModel = (revision: number, count: number) => (a: Application) =>
  a.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING && a.deployedRevision === revision && a.revisions.find((r) => r.revision === revision)?.rollout?.counts?.running === count;
