import { AggregateAlreadyExists, AggregateNotFound } from '../shared/errors';

export class GatewayNotFound extends AggregateNotFound {
  constructor(gatewayId: string) {
    super('gateway', gatewayId);
  }
}

/** RegisterGateway on a gateway that is registered (a Deregistered one may be registered again). */
export class GatewayAlreadyExists extends AggregateAlreadyExists {
  constructor(gatewayId: string, status: string) {
    super('gateway', gatewayId, status);
  }
}
