import { AssertionError, deepStrictEqual } from 'node:assert';
import { applyEvents, initialStateOf, type Decider } from '../shared/decider';
import { deepFreeze } from './deep-freeze';

/**
 * Given/when/then tests for deciders, after emmett's DeciderSpecification:
 *
 *   DeciderSpecification.for(deviceDecider)
 *     .given([registered])
 *     .when(requestEnrollment)
 *     .then([enrolled]);
 *
 * Works under any test runner (it throws node's AssertionError). Every given event
 * and intermediate state is deep-frozen, so a decide or evolve that mutates its
 * input fails the test, and emitted events must survive a JSON round trip unchanged.
 */
export const DeciderSpecification = {
  for<C, E, S>(decider: Decider<C, E, S>): { given(events: readonly E[]): When<C, E, S> } {
    return {
      given: (events) => {
        const state = events.reduce<S>((s, e) => deepFreeze(decider.evolve(s, deepFreeze(e))), deepFreeze(initialStateOf(decider)));
        return {
          when: (command) => new Then(decider, state, deepFreeze(command)),
        };
      },
    };
  },
};

export interface When<C, E, S> {
  when(command: C): Then<C, E, S>;
}

type ErrorClass = abstract new (...args: never[]) => Error;

export class Then<C, E, S> {
  constructor(
    private readonly decider: Decider<C, E, S>,
    private readonly state: S,
    private readonly command: C,
  ) {}

  /** Asserts the emitted events, and returns the state after them for further checks. */
  then(expected: readonly E[]): S {
    const events = this.decide();
    deepStrictEqual(events, expected);
    assertJsonSerializable(events);
    return applyEvents(this.decider, events.map(deepFreeze), this.state);
  }

  /** Asserts that the command is accepted without changing anything. */
  thenNothingHappens(): void {
    this.then([]);
  }

  /** Asserts the state after the emitted events (when the events themselves are not the point). */
  thenState(expected: S): void {
    deepStrictEqual(applyEvents(this.decider, this.decide(), this.state), expected);
  }

  /** Asserts decide throws an instance of `errorClass` (with a matching message, if given); returns the error. */
  thenThrows<T extends Error>(errorClass: ErrorClass & { prototype: T }, message?: string | RegExp): T {
    let events: E[];
    try {
      events = this.decider.decide(this.command, this.state);
    } catch (err) {
      if (!(err instanceof errorClass)) {
        throw new AssertionError({ message: `expected ${errorClass.name}, got ${String(err)}`, actual: err, expected: errorClass });
      }
      const text = (err as T).message;
      const matches = message === undefined || (typeof message === 'string' ? text.includes(message) : message.test(text));
      if (!matches) throw new AssertionError({ message: `expected message ${String(message)}, got "${text}"`, actual: text, expected: message });
      return err as T;
    }
    throw new AssertionError({ message: `expected ${errorClass.name}, but decide emitted ${JSON.stringify(events)}`, actual: events, expected: errorClass });
  }

  private decide(): E[] {
    return this.decider.decide(this.command, this.state);
  }
}

/** Events travel as JSON: no Date, bigint, undefined field or class instance may hide in them. */
export function assertJsonSerializable(value: unknown): void {
  const roundTripped: unknown = JSON.parse(JSON.stringify(value));
  deepStrictEqual(roundTripped, value, 'events must survive a JSON round trip unchanged');
}
