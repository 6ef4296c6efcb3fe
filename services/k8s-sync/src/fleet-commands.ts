import type {
  ApplicationSpec,
  AssignGatewayRequest,
  DeleteApplicationRequest,
  DeregisterGatewayRequest,
  DrainGatewayRequest,
  RegisterDeviceRequest,
  RegisterGatewayRequest,
  RevokeDeviceRequest,
  UpdateDeviceLabelsRequest,
  UpdateGatewayConfigRequest,
} from '@wasmbed/proto';

/** A request without the fields every command shares: the planner fills in the id, the executor the version. */
type Body<Req> = Omit<Req, 'commandId' | 'expectedVersion'>;

/**
 * One api command the sync sends, named like its gRPC method. `DeployApplication` may name
 * the revision `created` by the step before it (CreateApplication / UpdateApplication).
 */
export type FleetCommand =
  | { readonly type: 'RegisterDevice'; readonly request: Body<RegisterDeviceRequest> }
  | { readonly type: 'UpdateDeviceLabels'; readonly request: Body<UpdateDeviceLabelsRequest> }
  | { readonly type: 'AssignGateway'; readonly request: Body<AssignGatewayRequest> }
  | { readonly type: 'RevokeDevice'; readonly request: Body<RevokeDeviceRequest> }
  | { readonly type: 'CreateApplication'; readonly request: { readonly name: string; readonly spec: ApplicationSpec } }
  | { readonly type: 'UpdateApplication'; readonly request: { readonly name: string; readonly spec: ApplicationSpec } }
  | { readonly type: 'DeployApplication'; readonly request: { readonly name: string; readonly revision: number | 'created' } }
  | { readonly type: 'DeleteApplication'; readonly request: Body<DeleteApplicationRequest> }
  | { readonly type: 'RegisterGateway'; readonly request: Body<RegisterGatewayRequest> }
  | { readonly type: 'UpdateGatewayConfig'; readonly request: Body<UpdateGatewayConfigRequest> }
  | { readonly type: 'DrainGateway'; readonly request: Body<DrainGatewayRequest> }
  | { readonly type: 'DeregisterGateway'; readonly request: Body<DeregisterGatewayRequest> };

export type FleetCommandType = FleetCommand['type'];

export const FLEET_COMMAND_TYPES: readonly FleetCommandType[] = [
  'RegisterDevice',
  'UpdateDeviceLabels',
  'AssignGateway',
  'RevokeDevice',
  'CreateApplication',
  'UpdateApplication',
  'DeployApplication',
  'DeleteApplication',
  'RegisterGateway',
  'UpdateGatewayConfig',
  'DrainGateway',
  'DeregisterGateway',
];

/**
 * A command with its deterministic id. `expectedVersion`: the aggregate version the plan
 * was made from (0 = none, for creations), or `chain` = the version the previous step
 * returned, so a plan never applies on top of a change it did not see.
 */
export interface Step {
  readonly commandId: string;
  readonly expectedVersion: number | 'chain';
  readonly command: FleetCommand;
}
