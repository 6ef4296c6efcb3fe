import { WasmbedError } from '@wasmbed/errors';
import { AggregateAlreadyExists, AggregateNotFound } from '../shared/errors';

export class DeviceNotFound extends AggregateNotFound {
  constructor(deviceId: string) {
    super('device', deviceId);
  }
}

/** RegisterDevice on a name that already has a stream (in any state, Revoked included). */
export class DeviceAlreadyExists extends AggregateAlreadyExists {
  constructor(deviceId: string, status: string) {
    super('device', deviceId, status);
  }
}

export type EnrollmentRefusal = 'public key does not match' | 'pairing mode is off' | 'device is revoked';

/** A connecting device may not enroll; the gateway closes the connection. */
export class EnrollmentRefused extends WasmbedError {
  readonly code = 'permission_denied' as const;
  constructor(
    readonly deviceId: string,
    readonly reason: EnrollmentRefusal,
  ) {
    super(`enrollment of device '${deviceId}' refused: ${reason}`, { deviceId, reason });
  }
}
