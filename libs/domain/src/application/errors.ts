import { WasmbedError } from '@wasmbed/errors';
import { AggregateAlreadyExists, AggregateNotFound } from '../shared/errors';

export class ApplicationNotFound extends AggregateNotFound {
  constructor(applicationId: string) {
    super('application', applicationId);
  }
}

/** CreateApplication on a name that already has a stream (Deleted included: names are not reused). */
export class ApplicationAlreadyExists extends AggregateAlreadyExists {
  constructor(applicationId: string, phase: string) {
    super('application', applicationId, phase);
  }
}

export class RevisionNotFound extends WasmbedError {
  readonly code = 'not_found' as const;
  constructor(
    readonly applicationId: string,
    readonly revision: number,
  ) {
    super(`application '${applicationId}' has no revision ${revision}`, { applicationId, revision });
  }
}

/** RollbackRollout with no completed revision to go back to. */
export class NoRollbackTarget extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(
    readonly applicationId: string,
    readonly rollout: number,
    readonly reason: string,
  ) {
    super(`cannot roll back rollout ${rollout} of application '${applicationId}': ${reason}`, { applicationId, rollout, reason });
  }
}

/** AdvanceWave before the wave's devices all reported, or before its health gate has passed. */
export class WaveNotReady extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(
    readonly applicationId: string,
    readonly rollout: number,
    readonly waveIndex: number,
    readonly reason: string,
  ) {
    super(`wave ${waveIndex} of rollout ${rollout} of application '${applicationId}' is not ready: ${reason}`, {
      applicationId,
      rollout,
      waveIndex,
      reason,
    });
  }
}
