import type {
  DeregisterGatewayRequest,
  DrainGatewayRequest,
  GatewayServiceServer,
  RegisterGatewayRequest,
  UpdateGatewayConfigRequest,
} from '@wasmbed/proto';
import type { CommandRunner } from '../commands/command-runner';
import { GATEWAY } from '../commands/targets';
import { gatewayFilter } from '../queries/filters';
import type { ReadModels } from '../queries/read-models';
import { commandHandler } from './command-handler';
import { toDeregisterGateway, toDrainGateway, toRegisterGateway, toUpdateGatewayConfig } from './gateway-mapping';
import { getHandler, listHandler, watchHandler } from './query-handlers';
import { checked, commandFields } from './request-schemas';

/** Gateway lifecycle changes what devices may connect to: admin only, as the proto says. */
const LIFECYCLE_ROLE = 'admin';

/** GatewayService: every method implemented. */
export function gatewayService({ commands, readModels }: { commands: CommandRunner; readModels: ReadModels }): GatewayServiceServer {
  return {
    registerGateway: commandHandler(commands, {
      role: LIFECYCLE_ROLE,
      schema: checked<RegisterGatewayRequest>(commandFields),
      target: GATEWAY,
      build: toRegisterGateway,
    }),
    updateGatewayConfig: commandHandler(commands, {
      role: LIFECYCLE_ROLE,
      schema: checked<UpdateGatewayConfigRequest>(commandFields),
      target: GATEWAY,
      build: toUpdateGatewayConfig,
    }),
    drainGateway: commandHandler(commands, {
      role: LIFECYCLE_ROLE,
      schema: checked<DrainGatewayRequest>(commandFields),
      target: GATEWAY,
      build: toDrainGateway,
    }),
    deregisterGateway: commandHandler(commands, {
      role: LIFECYCLE_ROLE,
      schema: checked<DeregisterGatewayRequest>(commandFields),
      target: GATEWAY,
      build: toDeregisterGateway,
    }),
    getGateway: getHandler(readModels.gateways, (gateway) => ({ gateway })),
    listGateways: listHandler(readModels.gateways, gatewayFilter, (gateways, nextPageToken) => ({ gateways, nextPageToken })),
    watchGateways: watchHandler(readModels.gateways, gatewayFilter, (kind, gateway, position) => ({ kind, gateway, position })),
  };
}
