import { WasmbedError } from '@wasmbed/errors';

/** The device's stored key or certificate is unusable or contradicts its configuration. */
export class DeviceIdentityError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(message: string) {
    super(message);
  }
}

/** A module chunk does not continue the bytes received so far. */
export class TransferOutOfOrderError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(message: string) {
    super(message);
  }
}

/** The TLS connection to the gateway could not be opened or its certificate was not accepted. */
export class GatewayConnectError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(endpoint: string, cause: Error) {
    super(`cannot connect to gateway ${endpoint}: ${cause.message}`, { endpoint }, { cause });
  }
}

/** A SimDevice or fleet configuration value is invalid. */
export class SimDeviceConfigError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(message: string) {
    super(message);
  }
}
