import { ApplicationPhase } from '@wasmbed/proto';
import type { CommandContext } from '../command';
import { EXIT, ApiRequestError } from '../errors';
import { ProgressDisplay } from '../output/progress-display';
import { RolloutTracker, type TrackerOptions } from './rollout-tracker';

/**
 * Watches one application's rollout until it ends; exit 0 when it completed,
 * 1 when it failed, was rolled back, or the application went away.
 */
export async function watchRollout(ctx: CommandContext, application: string, options: TrackerOptions = {}): Promise<number> {
  const tracker = new RolloutTracker(application, options);
  const display = new ProgressDisplay(ctx.io.stdout, ctx.out.json);
  const stream = ctx.api().stream('apps', 'watchApplications', { phase: ApplicationPhase.APPLICATION_PHASE_UNSPECIFIED });
  try {
    for await (const change of stream) {
      const observation = tracker.observe(change);
      if (observation === undefined) continue;
      if (observation.waiting !== undefined) display.message(observation.waiting);
      if (observation.progress !== undefined) display.progress(observation.progress);
      const verdict = observation.verdict;
      if (verdict !== undefined) {
        display.message(verdict.message, { done: true, ok: verdict.ok });
        return verdict.ok ? EXIT.ok : EXIT.failure;
      }
    }
  } finally {
    stream.cancel();
  }
  throw new ApiRequestError('unavailable', `the api ended the watch before the rollout of ${application} ended`);
}
