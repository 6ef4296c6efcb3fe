import { ValidationError } from '@wasmbed/errors';

/** Replicas of a stream this package creates: 1 to 5 (JetStream's limit), 1 when not given. */
export function streamReplicas(replicas: number | undefined, what: string): number {
  const value = replicas ?? 1;
  if (!Number.isSafeInteger(value) || value < 1 || value > 5) {
    throw new ValidationError(`invalid ${what} options: replicas must be an integer from 1 to 5`, [`replicas: ${value}`]);
  }
  return value;
}
