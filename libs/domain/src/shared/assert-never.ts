/** Makes a `switch` over a discriminated union exhaustive at compile time. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
