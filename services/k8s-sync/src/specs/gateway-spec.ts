import type { Gateway, RegisterGatewayRequest, UpdateGatewayConfigRequest } from '@wasmbed/proto';
import type { GatewaySpec } from '../resources';

type Settings = Omit<UpdateGatewayConfigRequest, 'commandId' | 'expectedVersion' | 'name'>;

export function registerGatewayRequest(name: string, spec: GatewaySpec): Omit<RegisterGatewayRequest, 'commandId' | 'expectedVersion'> {
  return {
    name,
    endpoint: spec.endpoint,
    region: spec.region,
    capacity: spec.capacity,
    // 0 = the fleet's default (30 s heartbeat, 60 s enrollment timeout).
    heartbeatIntervalSeconds: spec.config?.heartbeatInterval ?? 0,
    enrollmentTimeoutSeconds: spec.config?.enrollmentTimeout ?? 0,
  };
}

/**
 * The settings UpdateGatewayConfig must change for the fleet to match the spec; empty when
 * none. Settings the spec leaves out are not managed from Kubernetes.
 */
export function gatewayConfigChanges(spec: GatewaySpec, gateway: Gateway): Settings {
  const changes: { -readonly [K in keyof Settings]: Settings[K] } = {};
  if (spec.endpoint !== gateway.endpoint) changes.endpoint = spec.endpoint;
  if (spec.region !== gateway.region) changes.region = spec.region;
  if (spec.capacity !== gateway.capacity) changes.capacity = spec.capacity;
  const hb = spec.config?.heartbeatInterval;
  if (hb !== undefined && hb !== gateway.heartbeatIntervalSeconds) changes.heartbeatIntervalSeconds = hb;
  const et = spec.config?.enrollmentTimeout;
  if (et !== undefined && et !== gateway.enrollmentTimeoutSeconds) changes.enrollmentTimeoutSeconds = et;
  return changes;
}

/** The Gateway spec of a fleet gateway, keeping `current`'s ports (the fleet does not record them). */
export function gatewaySpecFromFleet(gateway: Gateway, current?: GatewaySpec): GatewaySpec {
  return {
    endpoint: gateway.endpoint,
    region: gateway.region,
    capacity: gateway.capacity,
    ...(current?.ports ? { ports: current.ports } : {}),
    config: { heartbeatInterval: gateway.heartbeatIntervalSeconds, enrollmentTimeout: gateway.enrollmentTimeoutSeconds },
  };
}
