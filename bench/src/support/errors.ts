import { WasmbedError } from '@wasmbed/errors';

/** A process the bench started (gateway, echo server, load generator) failed or did not come up. */
export class BenchProcessError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(message: string, readonly logTail = '') {
    super(logTail ? `${message}\n--- last output ---\n${logTail}` : message, {});
  }
}

/** A device certificate could not be derived from the template (wrong name length, unexpected template layout). */
export class CertificateStampError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
}
