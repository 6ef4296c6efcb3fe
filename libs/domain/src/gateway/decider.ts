import type { Decider } from '../shared/decider';
import type { GatewayCommand } from './commands';
import { decideGateway } from './decide';
import type { GatewayEvent } from './events';
import { evolveGateway } from './evolve';
import { initialGatewayState, type GatewayState } from './state';

export type GatewayDecider = Decider<GatewayCommand, GatewayEvent, GatewayState>;

export const gatewayDecider: GatewayDecider = {
  decide: decideGateway,
  evolve: evolveGateway,
  initialState: initialGatewayState,
};
