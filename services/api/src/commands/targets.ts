import {
  applicationDecider,
  deviceDecider,
  gatewayDecider,
  type ApplicationCommand,
  type ApplicationEvent,
  type ApplicationState,
  type DeviceCommand,
  type DeviceEvent,
  type DeviceState,
  type GatewayCommand,
  type GatewayEvent,
  type GatewayState,
} from '@wasmbed/domain';
import type { CommandTarget } from './command-runner';

export const DEVICE: CommandTarget<DeviceCommand, DeviceEvent, DeviceState> = { aggregateType: 'device', decider: deviceDecider };
export const GATEWAY: CommandTarget<GatewayCommand, GatewayEvent, GatewayState> = { aggregateType: 'gateway', decider: gatewayDecider };
export const APPLICATION: CommandTarget<ApplicationCommand, ApplicationEvent, ApplicationState> = {
  aggregateType: 'application',
  decider: applicationDecider,
};
