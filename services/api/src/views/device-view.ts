import type { DeviceCapabilities as DomainCapabilities, DeviceDeploymentStatus, DeviceStatus } from '@wasmbed/domain';
import {
  Device,
  DeviceDeploymentPhase,
  DevicePhase,
  type DeviceApplication,
  type DeviceCapabilities,
} from '@wasmbed/proto';
import type { DeploymentsDoc, DeviceDoc } from '../projections/documents';
import { optionalDate } from './timestamps';

export const DEVICE_PHASE: Readonly<Record<DeviceStatus, DevicePhase>> = {
  Pending: DevicePhase.DEVICE_PHASE_PENDING,
  Enrolling: DevicePhase.DEVICE_PHASE_ENROLLING,
  Enrolled: DevicePhase.DEVICE_PHASE_ENROLLED,
  Connected: DevicePhase.DEVICE_PHASE_CONNECTED,
  Disconnected: DevicePhase.DEVICE_PHASE_DISCONNECTED,
  Unreachable: DevicePhase.DEVICE_PHASE_UNREACHABLE,
  Revoked: DevicePhase.DEVICE_PHASE_REVOKED,
};

export const DEPLOYMENT_PHASE: Readonly<Record<DeviceDeploymentStatus, DeviceDeploymentPhase>> = {
  Deploying: DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_DEPLOYING,
  Running: DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_RUNNING,
  Failed: DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_FAILED,
  Stopped: DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_STOPPED,
};

/** The proto Device for a read-model document, with the applications deployed on it. */
export function toDeviceMessage(doc: DeviceDoc, deployments: DeploymentsDoc | undefined): Device {
  const d = doc.device;
  // An enrolling device has connected once: what it reported is worth showing.
  const capabilities = d.capabilities ?? d.pendingEnrollment?.capabilities ?? null;
  return Device.fromPartial({
    name: d.deviceId,
    phase: DEVICE_PHASE[d.status],
    publicKey: Buffer.from(d.publicKey, 'hex'),
    board: d.board,
    architecture: d.architecture,
    labels: { ...d.labels },
    preferredGateway: doc.preferredGateway ?? '',
    gateway: doc.gateway ?? '',
    sessionId: d.session?.sessionId ?? '',
    capabilities: capabilities ? toCapabilitiesMessage(capabilities) : undefined,
    revocationReason: d.revocation?.reason ?? '',
    applications: toApplicationsOnDevice(deployments),
    registeredAt: optionalDate(d.registeredAt),
    enrolledAt: optionalDate(d.enrolledAt),
    lastSeenAt: optionalDate(d.lastHeartbeatAt),
    version: doc.version,
  });
}

function toCapabilitiesMessage(c: DomainCapabilities): DeviceCapabilities {
  return {
    firmware: c.firmware,
    board: c.board,
    architecture: c.arch,
    ramBytes: c.ramBytes,
    maxModuleBytes: c.maxModuleBytes,
    maxInstances: c.maxInstances,
    hostFunctions: [...c.hostFunctions],
  };
}

function toApplicationsOnDevice(deployments: DeploymentsDoc | undefined): DeviceApplication[] {
  return Object.entries(deployments?.applications ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([application, view]) => ({
      application,
      revision: view.revision,
      phase: DEPLOYMENT_PHASE[view.status],
      message: view.message,
      updatedAt: new Date(view.updatedAt),
    }));
}
