/**
 * The life of one emulated device as a pure reducer: the supervisor feeds it
 * operator requests and what happened to the emulator process, and carries out
 * the effects it returns. No clock, no I/O: every decision is unit-tested.
 */

export type DevicePhase = 'Creating' | 'Running' | 'Stopped' | 'Crashed' | 'Deleted';
export const DEVICE_PHASES: readonly DevicePhase[] = ['Creating', 'Running', 'Stopped', 'Crashed', 'Deleted'];

export interface RestartPolicy {
  /** Restarts after consecutive crashes before giving up (0 = never restart). */
  readonly maxRestarts: number;
  /** Delay before the first restart; doubled for each further consecutive crash. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** A run that lasted this long resets the crash count: the next crash is a first one again. */
  readonly stableAfterMs: number;
}

/** How a run ended without anyone asking it to. */
export interface RunEnd {
  /** e.g. "qemu exited with code 1: <stderr tail>" or "firmware fault: pc=…". */
  readonly reason: string;
  readonly uptimeMs: number;
  /** Restarting cannot help (e.g. the firmware rejected its provisioning). */
  readonly permanent?: boolean;
}

export interface Lifecycle {
  readonly name: string;
  readonly phase: DevicePhase;
  /** Number of the current (or last) emulator run; 0 before the first launch. */
  readonly run: number;
  /** Consecutive crashes since the last stable run or operator (re)start. */
  readonly crashes: number;
  /** Restarts the supervisor made on its own. */
  readonly restarts: number;
  /** While Crashed: the delay of the scheduled restart; null when none is scheduled (gave up). */
  readonly restartInMs: number | null;
  /** Why it is Crashed, or why creating it failed. */
  readonly reason: string | null;
}

export type LifecycleEvent =
  | { readonly type: 'Created'; readonly start: boolean }
  | { readonly type: 'CreateFailed'; readonly reason: string }
  | { readonly type: 'StartRequested' }
  | { readonly type: 'StopRequested' }
  | { readonly type: 'RestartRequested' }
  | { readonly type: 'DeleteRequested' }
  | { readonly type: 'RunEnded'; readonly run: number; readonly end: RunEnd }
  | { readonly type: 'RestartDue'; readonly run: number };

export type LifecycleEffect =
  | { readonly type: 'launch'; readonly run: number }
  /** End the run's emulator if it is still alive (and its bridge and console). */
  | { readonly type: 'terminate'; readonly run: number }
  | { readonly type: 'scheduleRestart'; readonly run: number; readonly delayMs: number }
  | { readonly type: 'cancelRestart' }
  /** Remove the device's files (its private key among them) and its registration. */
  | { readonly type: 'cleanup' };

export type LifecycleDecision =
  | { readonly ok: true; readonly state: Lifecycle; readonly effects: readonly LifecycleEffect[] }
  | { readonly ok: false; readonly action: string; readonly phase: DevicePhase };

export function initialLifecycle(name: string): Lifecycle {
  return { name, phase: 'Creating', run: 0, crashes: 0, restarts: 0, restartInMs: null, reason: null };
}

/** Delay before restarting after the `crashes`-th consecutive crash. */
export function backoffMs(policy: RestartPolicy, crashes: number): number {
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, crashes - 1));
}

const ok = (state: Lifecycle, ...effects: LifecycleEffect[]): LifecycleDecision => ({ ok: true, state, effects });
const unchanged = (state: Lifecycle): LifecycleDecision => ok(state);
const refuse = (action: string, state: Lifecycle): LifecycleDecision => ({ ok: false, action, phase: state.phase });

/** A fresh run on operator request: the crash history starts over. */
function launch(state: Lifecycle, ...before: LifecycleEffect[]): LifecycleDecision {
  const run = state.run + 1;
  return ok({ ...state, phase: 'Running', run, crashes: 0, restartInMs: null, reason: null }, ...before, { type: 'launch', run });
}

function runEnded(state: Lifecycle, run: number, end: RunEnd, policy: RestartPolicy): LifecycleDecision {
  // A run we stopped or replaced ending late is no crash.
  if (state.phase !== 'Running' || run !== state.run) return unchanged(state);
  const crashes = (end.uptimeMs >= policy.stableAfterMs ? 0 : state.crashes) + 1;
  const terminate: LifecycleEffect = { type: 'terminate', run };
  if (end.permanent || crashes > policy.maxRestarts) {
    const why = end.permanent ? 'not restarted: a restart cannot fix this' : `not restarted: ${policy.maxRestarts} restart(s) after consecutive crashes did not help`;
    return ok({ ...state, phase: 'Crashed', crashes, restartInMs: null, reason: `${end.reason}; ${why}` }, terminate);
  }
  const delayMs = backoffMs(policy, crashes);
  return ok({ ...state, phase: 'Crashed', crashes, restartInMs: delayMs, reason: end.reason }, terminate, { type: 'scheduleRestart', run, delayMs });
}

export function decideLifecycle(state: Lifecycle, event: LifecycleEvent, policy: RestartPolicy): LifecycleDecision {
  const { phase } = state;
  switch (event.type) {
    case 'Created':
      if (phase !== 'Creating') return refuse('finish creating', state);
      return event.start ? launch(state) : ok({ ...state, phase: 'Stopped' });
    case 'CreateFailed':
      if (phase !== 'Creating') return refuse('fail creating', state);
      return ok({ ...state, phase: 'Deleted', reason: event.reason }, { type: 'cleanup' });
    case 'StartRequested':
      if (phase === 'Running') return unchanged(state);
      if (phase === 'Stopped' || phase === 'Crashed') return launch(state, { type: 'cancelRestart' });
      return refuse('start', state);
    case 'StopRequested':
      if (phase === 'Stopped') return unchanged(state);
      if (phase === 'Running') return ok({ ...state, phase: 'Stopped', restartInMs: null }, { type: 'terminate', run: state.run });
      if (phase === 'Crashed') return ok({ ...state, phase: 'Stopped', restartInMs: null }, { type: 'cancelRestart' });
      return refuse('stop', state);
    case 'RestartRequested':
      if (phase === 'Running') return launch(state, { type: 'terminate', run: state.run });
      if (phase === 'Stopped' || phase === 'Crashed') return launch(state, { type: 'cancelRestart' });
      return refuse('restart', state);
    case 'DeleteRequested':
      if (phase === 'Deleted') return unchanged(state);
      if (phase === 'Creating') return refuse('delete', state);
      return ok({ ...state, phase: 'Deleted', restartInMs: null }, phase === 'Running' ? { type: 'terminate', run: state.run } : { type: 'cancelRestart' }, { type: 'cleanup' });
    case 'RunEnded':
      return runEnded(state, event.run, event.end, policy);
    case 'RestartDue':
      if (phase !== 'Crashed' || event.run !== state.run || state.restartInMs === null) return unchanged(state);
      return ok({ ...state, phase: 'Running', run: state.run + 1, restarts: state.restarts + 1, restartInMs: null }, { type: 'launch', run: state.run + 1 });
  }
}
