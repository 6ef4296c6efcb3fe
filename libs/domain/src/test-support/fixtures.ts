// Test-only builders (excluded from the build). Times are fixed: deciders have no clock.
import { applyEvents, initialStateOf, type Decider } from '../shared/decider';
import type { Command } from '../shared/messages';
import { addSeconds } from '../shared/time';
import type { DeviceCapabilities } from '../device/capabilities';

export const T0 = '2024-05-01T10:00:00.000Z';
export const ACTOR = 'alice';

/** T0 plus `seconds`. */
export function at(seconds: number): string {
  return addSeconds(T0, seconds);
}

export const KEY_A = 'a1'.repeat(32);
export const KEY_B = 'b2'.repeat(32);
export const SHA_1 = '01'.repeat(32);
export const SHA_2 = '02'.repeat(32);
export const SHA_3 = '03'.repeat(32);
export const SIGNATURE = 'ee'.repeat(64);

/** Builds commands of one aggregate: `cmd('ApproveDevice', { deviceId: 'd1' }, at(5))`. */
export function commandsOf<C extends Command>() {
  return <T extends C['type']>(type: T, data: Extract<C, { type: T }>['data'], now = T0, actor = ACTOR) =>
    ({ type, data, metadata: { now, actor } }) as Extract<C, { type: T }>;
}

export function capabilities(overrides: Partial<DeviceCapabilities> = {}): DeviceCapabilities {
  return {
    firmware: 'wasmbed-fw 1.2.0',
    board: 'nrf52840dk',
    arch: 'thumbv7em',
    ramBytes: 262144,
    maxModuleBytes: 65536,
    maxInstances: 2,
    hostFunctions: ['gpio_write', 'log'],
    ...overrides,
  };
}

/** Events produced by running commands through a decider in order, as the command handler would. */
export function eventsOf<C, E, S>(decider: Decider<C, E, S>, commands: readonly C[]): E[] {
  const events: E[] = [];
  let state = initialStateOf(decider);
  for (const command of commands) {
    const emitted = decider.decide(command, state);
    events.push(...emitted);
    state = applyEvents(decider, emitted, state);
  }
  return events;
}
