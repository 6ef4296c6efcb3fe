import type { Decider } from '../shared/decider';
import type { DeviceCommand } from './commands';
import { decideDevice } from './decide';
import type { DeviceEvent } from './events';
import { evolveDevice } from './evolve';
import { initialDeviceState, type DeviceState } from './state';

export type DeviceDecider = Decider<DeviceCommand, DeviceEvent, DeviceState>;

export const deviceDecider: DeviceDecider = {
  decide: decideDevice,
  evolve: evolveDevice,
  initialState: initialDeviceState,
};
