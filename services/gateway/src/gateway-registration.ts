import { GatewayAlreadyExists, type GatewayState } from '@wasmbed/domain';
import type { GatewayConfig } from './config';
import type { FleetCommands } from './fleet-commands';

/** The settings the gateway aggregate records, from the process configuration. */
export function aggregateConfigOf(config: Pick<GatewayConfig, 'endpoint' | 'region' | 'capacity' | 'heartbeatIntervalMs'>) {
  return {
    endpoint: config.endpoint,
    region: config.region,
    capacity: config.capacity,
    // The aggregate counts whole seconds; the protocol's minimum of 1 s keeps this >= 1.
    heartbeatIntervalSeconds: Math.max(1, Math.round(config.heartbeatIntervalMs / 1000)),
  };
}

/**
 * Registers this gateway when the log has never seen it (or it was deregistered),
 * else records configuration changes (the domain writes nothing when none changed).
 */
export async function registerGateway(commands: FleetCommands, current: GatewayState, config: GatewayConfig): Promise<void> {
  const settings = aggregateConfigOf(config);
  if (current.status === 'Initial' || current.status === 'Deregistered') {
    try {
      await commands.gateway('RegisterGateway', settings);
      return;
    } catch (err) {
      // Another instance of the same gateway registered it first.
      if (!(err instanceof GatewayAlreadyExists)) throw err;
    }
  }
  await commands.gateway('UpdateGatewayConfig', settings);
}
