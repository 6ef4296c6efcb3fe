import {
  ApplicationPhase,
  DeviceDeploymentPhase,
  DevicePhase,
  GatewayPhase,
  RolloutPhase,
  applicationPhaseToJSON,
  deviceDeploymentPhaseToJSON,
  devicePhaseToJSON,
  gatewayPhaseToJSON,
  rolloutPhaseToJSON,
} from '@wasmbed/proto';

// kubectl users read phases as CamelCase words (Running, PartiallyRunning), not proto
// enum names: DEVICE_PHASE_CONNECTED → Connected. UNSPECIFIED/UNRECOGNIZED → Unknown.
function camel(protoName: string, prefix: string): string {
  if (!protoName.startsWith(prefix) || protoName.endsWith('_UNSPECIFIED')) return 'Unknown';
  return protoName
    .slice(prefix.length)
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join('');
}

export const devicePhaseName = (p: DevicePhase): string => camel(devicePhaseToJSON(p), 'DEVICE_PHASE_');
export const deploymentPhaseName = (p: DeviceDeploymentPhase): string => camel(deviceDeploymentPhaseToJSON(p), 'DEVICE_DEPLOYMENT_PHASE_');
export const applicationPhaseName = (p: ApplicationPhase): string => camel(applicationPhaseToJSON(p), 'APPLICATION_PHASE_');
export const rolloutPhaseName = (p: RolloutPhase): string => camel(rolloutPhaseToJSON(p), 'ROLLOUT_PHASE_');
export const gatewayPhaseName = (p: GatewayPhase): string => camel(gatewayPhaseToJSON(p), 'GATEWAY_PHASE_');
