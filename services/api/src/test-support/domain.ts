// Test-only: real domain events, produced by the domain's own deciders.
import { applyEvents, initialStateOf, type Decider } from '@wasmbed/domain';

export const NOW = '2025-03-01T12:00:00.000Z';
export const META = { now: NOW, actor: 'tester' };

export function at(seconds: number): { now: string; actor: string } {
  return { now: new Date(Date.parse(NOW) + seconds * 1000).toISOString(), actor: 'tester' };
}

/** Decides each command on the state the previous ones produced; returns every event in order. */
export function history<C, E, S>(decider: Decider<C, E, S>, commands: readonly C[]): { events: E[]; state: S } {
  return commands.reduce<{ events: E[]; state: S }>(
    ({ events, state }, command) => {
      const decided = decider.decide(command, state);
      return { events: [...events, ...decided], state: applyEvents(decider, decided, state) };
    },
    { events: [], state: initialStateOf(decider) },
  );
}
