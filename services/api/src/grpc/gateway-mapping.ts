import type { CommandMetadata, DeregisterGateway, DrainGateway, RegisterGateway, UpdateGatewayConfig } from '@wasmbed/domain';
import type { DeregisterGatewayRequest, DrainGatewayRequest, RegisterGatewayRequest, UpdateGatewayConfigRequest } from '@wasmbed/proto';

/** GatewayService requests as domain commands; 0 means "server default" where the proto says so. */

export function toRegisterGateway(req: RegisterGatewayRequest, metadata: CommandMetadata): RegisterGateway {
  return {
    type: 'RegisterGateway',
    data: {
      gatewayId: req.name,
      endpoint: req.endpoint,
      region: req.region,
      capacity: req.capacity,
      heartbeatIntervalSeconds: req.heartbeatIntervalSeconds === 0 ? undefined : req.heartbeatIntervalSeconds,
      enrollmentTimeoutSeconds: req.enrollmentTimeoutSeconds === 0 ? undefined : req.enrollmentTimeoutSeconds,
    },
    metadata,
  };
}

/** Unset optional fields stay undefined: the domain changes only the settings named. */
export function toUpdateGatewayConfig(req: UpdateGatewayConfigRequest, metadata: CommandMetadata): UpdateGatewayConfig {
  return {
    type: 'UpdateGatewayConfig',
    data: {
      gatewayId: req.name,
      endpoint: req.endpoint,
      region: req.region,
      capacity: req.capacity,
      heartbeatIntervalSeconds: req.heartbeatIntervalSeconds,
      enrollmentTimeoutSeconds: req.enrollmentTimeoutSeconds,
    },
    metadata,
  };
}

export function toDrainGateway(req: DrainGatewayRequest, metadata: CommandMetadata): DrainGateway {
  return { type: 'DrainGateway', data: { gatewayId: req.name }, metadata };
}

export function toDeregisterGateway(req: DeregisterGatewayRequest, metadata: CommandMetadata): DeregisterGateway {
  return { type: 'DeregisterGateway', data: { gatewayId: req.name }, metadata };
}
