import { InvalidCommand, UnexpectedEvent } from './errors';

/** Makes a `switch` over a discriminated union exhaustive at compile time. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

function typeOf(message: unknown): string {
  return String((message as { type?: unknown } | null)?.type);
}

/**
 * The `never` check of decide's switch. Commands can arrive from JSON, so an
 * unknown type at runtime is the caller's mistake: a typed InvalidCommand.
 */
export function unknownCommand(aggregate: string, command: never): never {
  throw new InvalidCommand('type', `'${typeOf(command)}' is not a ${aggregate} command`);
}

/** The `never` check of evolve's switch: an unknown event type means a corrupt or foreign stream. */
export function unknownEvent(aggregate: string, event: never, state: string): never {
  throw new UnexpectedEvent(aggregate, typeOf(event), state);
}
