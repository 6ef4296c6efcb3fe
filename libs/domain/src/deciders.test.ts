import { applicationDecider } from './application/decider';
import { deviceDecider } from './device/decider';
import { gatewayDecider } from './gateway/decider';
import { assertNever } from './shared/assert-never';
import { applyEvents, initialStateOf, type Decider } from './shared/decider';
import { InvalidCommand, UnexpectedEvent } from './shared/errors';
import { T0 } from './test-support/fixtures';
import { registered as deviceRegistered } from './test-support/device';
import { registered as gatewayRegistered } from './test-support/gateway';
import { create, history } from './test-support/application';

type AnyDecider = Decider<unknown, unknown, unknown>;
const cases: [string, AnyDecider, Record<string, string>, unknown[], string][] = [
  ['device', deviceDecider as AnyDecider, { deviceId: 'd1' }, [deviceRegistered()], 'Pending'],
  ['application', applicationDecider as AnyDecider, { applicationId: 'thermo' }, history(create()), 'Creating'],
  ['gateway', gatewayDecider as AnyDecider, { gatewayId: 'gw1' }, [gatewayRegistered()], 'Registered'],
];

describe.each(cases)('the %s decider', (aggregate, decider, id, history, status) => {
  const state = () => applyEvents(decider, history);

  it('starts from a fresh initial state each time', () => {
    expect(initialStateOf(decider)).toEqual(initialStateOf(decider));
    expect(initialStateOf(decider)).not.toBe(initialStateOf(decider));
  });

  it('rejects a command type it does not know with a typed error', () => {
    const command = { type: 'Explode', data: id, metadata: { now: T0, actor: 'alice' } };
    let caught: unknown;
    try {
      decider.decide(command, state());
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidCommand);
    expect((caught as InvalidCommand).message).toBe(`invalid type: 'Explode' is not a ${aggregate} command`);
  });

  it('reports an event type it does not know as a corrupt stream', () => {
    expect(() => decider.evolve(state(), { type: 'Exploded', data: id })).toThrow(new UnexpectedEvent(aggregate, 'Exploded', status));
  });
});

describe('assertNever', () => {
  it('throws for a value the type system said could not exist', () => {
    expect(() => assertNever({ type: 'X' } as never, 'shape')).toThrow('unexpected shape: {"type":"X"}');
  });
});
