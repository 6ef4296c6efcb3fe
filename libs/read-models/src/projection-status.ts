export type ProjectionState = 'catching_up' | 'live' | 'stopped' | 'failed';

export interface ProjectionErrorInfo {
  readonly name: string;
  readonly message: string;
  /** WasmbedError code when the error had one (e.g. an unknown event type). */
  readonly code?: string;
  readonly context: string;
  /** Commit that could not be applied; absent when the failure came before decoding one. */
  readonly position?: number;
  readonly at: string;
}

/** One per (projection, context): every context has its own log, checkpoint and head. */
export interface ProjectionStatus {
  readonly name: string;
  readonly context: string;
  /** Last commit position fully applied and recorded. */
  readonly checkpoint: number;
  /** Last position of the context log, as last read. */
  readonly head: number;
  /** head − checkpoint: positions still to apply. */
  readonly lagEvents: number;
  readonly state: ProjectionState;
  readonly lastError?: ProjectionErrorInfo;
}

export interface ContextProgress {
  readonly checkpoint: number;
  readonly head: number;
  /** Latched once the checkpoint reached the head seen at start: afterwards lag is live lag, not replay. */
  readonly caughtUp: boolean;
}

export interface RunnerCondition {
  readonly running: boolean;
  readonly failure?: ProjectionErrorInfo;
}

export function lagEvents(head: number, checkpoint: number): number {
  return Math.max(0, head - checkpoint);
}

/** A failure outlives stop(): it is cleared only by start() or rebuild(). */
export function projectionState(runner: RunnerCondition, progress: ContextProgress): ProjectionState {
  if (runner.failure) return 'failed';
  if (!runner.running) return 'stopped';
  return progress.caughtUp ? 'live' : 'catching_up';
}

export function projectionStatus(
  name: string,
  context: string,
  runner: RunnerCondition,
  progress: ContextProgress,
): ProjectionStatus {
  const status: ProjectionStatus = {
    name,
    context,
    checkpoint: progress.checkpoint,
    head: progress.head,
    lagEvents: lagEvents(progress.head, progress.checkpoint),
    state: projectionState(runner, progress),
  };
  return runner.failure ? { ...status, lastError: runner.failure } : status;
}

export function errorInfo(err: unknown, context: string, position: number | undefined, at: Date): ProjectionErrorInfo {
  const error = err instanceof Error ? err : new Error(String(err));
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    context,
    ...(position !== undefined ? { position } : {}),
    at: at.toISOString(),
  };
}
