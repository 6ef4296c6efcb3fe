import { AssertionError } from 'node:assert';
import type { Decider } from '../shared/decider';
import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { DeciderSpecification, assertJsonSerializable } from './decider-specification';

/** A counter that can be incremented up to a limit: small enough to test the helper itself. */
type CounterEvent = { type: 'Incremented'; data: { by: number } };
type CounterCommand = { type: 'Increment'; data: { by: number } };
const counter: Decider<CounterCommand, CounterEvent, { total: number }> = {
  decide: (command, state) => {
    if (command.data.by <= 0) throw new InvalidCommand('data.by', 'must be positive');
    if (state.total + command.data.by > 10) throw new InvalidTransition('Increment', 'counter', 'c', `at ${state.total}`);
    return [{ type: 'Incremented', data: { by: command.data.by } }];
  },
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  initialState: { total: 0 },
};
const incremented = (by: number): CounterEvent => ({ type: 'Incremented', data: { by } });
const increment = (by: number): CounterCommand => ({ type: 'Increment', data: { by } });
const spec = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('passes when the expected events are emitted, and returns the state after them', () => {
    expect(spec.given([incremented(2)]).when(increment(3)).then([incremented(3)])).toEqual({ total: 5 });
  });

  it('fails when other events are emitted', () => {
    expect(() => spec.given([]).when(increment(3)).then([incremented(4)])).toThrow(AssertionError);
    expect(() => spec.given([]).when(increment(3)).thenNothingHappens()).toThrow(AssertionError);
  });

  it('checks the resulting state', () => {
    spec.given([incremented(1)]).when(increment(1)).thenState({ total: 2 });
    expect(() => spec.given([]).when(increment(1)).thenState({ total: 2 })).toThrow(AssertionError);
  });

  it('returns the expected error, optionally matching its message', () => {
    const err = spec.given([incremented(9)]).when(increment(2)).thenThrows(InvalidTransition, "counter 'c' is at 9");
    expect(err.from).toBe('at 9');
    spec.given([]).when(increment(0)).thenThrows(InvalidCommand, /data\.by/);
  });

  it('fails when decide throws another error, a different message, or nothing', () => {
    expect(() => spec.given([]).when(increment(0)).thenThrows(InvalidTransition)).toThrow('expected InvalidTransition, got InvalidCommand');
    expect(() => spec.given([]).when(increment(0)).thenThrows(InvalidCommand, 'negative')).toThrow('expected message negative');
    expect(() => spec.given([]).when(increment(0)).thenThrows(InvalidCommand, /negative/)).toThrow(AssertionError);
    expect(() => spec.given([]).when(increment(1)).thenThrows(InvalidCommand)).toThrow('but decide emitted [{"type":"Incremented","data":{"by":1}}]');
  });

  it('starts from an initial state given as a function', () => {
    const lazy = DeciderSpecification.for({ ...counter, initialState: () => ({ total: 8 }) });
    lazy.given([]).when(increment(3)).thenThrows(InvalidTransition);
  });

  it('catches a decide that mutates the state it was given', () => {
    const mutating: typeof counter = {
      ...counter,
      decide: (command, state) => {
        (state as { total: number }).total += 1;
        return counter.decide(command, state);
      },
    };
    expect(() => DeciderSpecification.for(mutating).given([]).when(increment(1)).then([incremented(1)])).toThrow(TypeError);
  });

  it('catches events that would not survive JSON', () => {
    const dated: Decider<CounterCommand, { type: 'At'; data: { at: Date } }, object> = {
      decide: () => [{ type: 'At', data: { at: new Date(0) } }],
      evolve: (s) => s,
      initialState: {},
    };
    const at = new Date(0);
    expect(() => DeciderSpecification.for(dated).given([]).when(increment(1)).then([{ type: 'At', data: { at } }])).toThrow('JSON round trip');
  });
});

describe('assertJsonSerializable', () => {
  it('accepts plain JSON data', () => {
    expect(() => assertJsonSerializable([{ a: [1, 'x', true, null, { b: {} }] }])).not.toThrow();
  });

  it.each([
    ['an undefined field', { a: undefined }],
    ['a Date', { a: new Date(0) }],
    ['a byte array', { a: new Uint8Array([1]) }],
    ['NaN', { a: Number.NaN }],
  ])('rejects %s', (_name, value) => {
    expect(() => assertJsonSerializable(value)).toThrow(AssertionError);
  });

  it('rejects a bigint', () => {
    expect(() => assertJsonSerializable({ a: BigInt(1) })).toThrow(TypeError);
  });
});
