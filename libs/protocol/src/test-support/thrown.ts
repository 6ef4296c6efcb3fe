import { ProtocolError } from '../errors';

/** What `fn` threw; fails the test if it returned. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, but the call returned');
}

/** The ProtocolError `fn` threw; any other outcome fails the test. */
export function protocolErrorOf(fn: () => unknown): ProtocolError {
  const err = thrownBy(fn);
  if (err instanceof ProtocolError) return err;
  throw err;
}
