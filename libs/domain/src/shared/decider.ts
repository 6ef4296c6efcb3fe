
/**
 * An aggregate as three pure functions (emmett's decider): `decide` turns a
 * command and the current state into new events (or throws a typed error),
 * `evolve` folds one event into the state.
 */
export interface Decider<C, E, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState: S | (() => S);
}

export function initialStateOf<C, E, S>(decider: Decider<C, E, S>): S {
  const init = decider.initialState;
  return typeof init === 'function' ? (init as () => S)() : init;
}

/** Folds events into a state, starting from the decider's initial state unless one is given. */
export function applyEvents<C, E, S>(decider: Decider<C, E, S>, events: readonly E[], from?: S): S {
  return events.reduce<S>((state, event) => decider.evolve(state, event), from ?? initialStateOf(decider));
}
