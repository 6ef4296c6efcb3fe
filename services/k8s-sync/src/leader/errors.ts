import { WasmbedError } from '@wasmbed/errors';

/** Lease timings that cannot keep a single leader (e.g. renewing less often than half the lease). */
export class InvalidLeaderElectionOptions extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(message: string) {
    super(message);
  }
}
