import { WasmbedError } from './wasmbed-error';

/** Input failed validation; the message says which field and why. */
export class ValidationError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(message: string, readonly issues: readonly string[] = []) {
    super(message, { issues });
  }
}

/** Configuration read at a service's edge is missing or invalid. */
export class ConfigError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(message: string, readonly issues: readonly string[] = []) {
    super(message, { issues });
  }
}
