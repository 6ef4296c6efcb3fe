import { ApiRequestError } from '../errors';

/** A message field proto3 makes optional but the api always sets (e.g. GetDeviceResponse.device). */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ApiRequestError('internal', `the api answered without ${what}`);
  return value;
}
