import { applyEvents } from '../shared/decider';
import { at } from '../test-support/fixtures';
import { HISTORIES, deregistered, draining, offline, pairingDisabled, pairingEnabled } from '../test-support/gateway';
import { gatewayDecider } from './decider';
import type { GatewayEvent } from './events';
import { isPairingModeActive } from './pairing';
import { initialGatewayState } from './state';

describe('isPairingModeActive', () => {
  const open = [...HISTORIES.Online, pairingEnabled(at(305))];
  const state = (events: GatewayEvent[]) => applyEvents(gatewayDecider, events);

  it('is true inside the window and false from its end on', () => {
    expect(isPairingModeActive(state(open), at(5))).toBe(true);
    expect(isPairingModeActive(state(open), at(304))).toBe(true);
    expect(isPairingModeActive(state(open), at(305))).toBe(false);
  });

  it('is false before any window was opened, and after it was closed', () => {
    expect(isPairingModeActive(state(HISTORIES.Online), at(5))).toBe(false);
    expect(isPairingModeActive(state([...open, pairingDisabled(at(10))]), at(11))).toBe(false);
  });

  it('is false for an unknown, draining or deregistered gateway', () => {
    expect(isPairingModeActive(initialGatewayState(), at(5))).toBe(false);
    expect(isPairingModeActive(state([...open, draining(at(6))]), at(7))).toBe(false);
    expect(isPairingModeActive(state([...open, offline('i1', at(6)), deregistered(at(7))]), at(8))).toBe(false);
  });

  it('stays open while the gateway is offline: the window is a setting, not a connection', () => {
    expect(isPairingModeActive(state([...open, offline('i1', at(6))]), at(7))).toBe(true);
  });
});
