import type { DeviceManager } from '../devices/device-manager';
import type { EmulatedDeviceView } from '../devices/emulated-device';
import type { CommandInput } from './command-schemas';

export type CommandResult = { readonly device: EmulatedDeviceView } | { readonly devices: readonly EmulatedDeviceView[] };

/** One validated command against the manager; NATS and HTTP both end here. */
export async function runCommand(manager: DeviceManager, input: CommandInput): Promise<CommandResult> {
  switch (input.verb) {
    case 'create':
      return { device: await manager.create(input.request) };
    case 'list':
      return { devices: manager.list() };
    case 'get':
      return { device: manager.get(input.name) };
    default:
      return { device: await manager[input.verb](input.name) };
  }
}
