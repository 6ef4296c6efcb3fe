import type { Logger } from '@wasmbed/service-kit';
import type { ActionExecutor } from './executor';
import type { FleetView } from './fleet-view';
import type { LivenessView } from './liveness-view';
import type { ControllerMetrics, ActionOutcome } from './metrics';
import { planReconcile } from './planner';
import type { EnrollmentPolicy } from './rules/enrollment';
import type { MisplacedDevice } from './rules/placement';

/** How long a pass waits for the log to show its own writes, so the next pass does not plan them again. */
const OWN_WRITES_WAIT_MS = 5_000;

export interface ReconcilerOptions {
  readonly fleet: FleetView;
  readonly liveness: LivenessView;
  readonly executor: ActionExecutor;
  readonly metrics: ControllerMetrics;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly reconcileMs: number;
  readonly unreachableAfterMs: number;
  readonly policy: EnrollmentPolicy;
  /** NATS connected right now: without it nothing can be observed or written. */
  readonly natsUp: () => boolean;
}

export interface PassSummary {
  readonly at: string;
  readonly durationMs: number;
  readonly planned: number;
  readonly outcomes: Readonly<Record<ActionOutcome, number>>;
}

/**
 * The loop: every `reconcileMs`, once the fleet log is caught up and liveness is
 * watched, plan from the current observations and run the plan; one pass at a
 * time, the next one scheduled after the previous ended.
 */
export class Reconciler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private lastPass: PassSummary | null = null;
  private lastMisplaced: readonly MisplacedDevice[] = [];

  constructor(private readonly options: ReconcilerOptions) {}

  start(): void {
    this.schedule(0);
  }

  /** Waits for the pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  get last(): PassSummary | null {
    return this.lastPass;
  }

  get misplaced(): readonly MisplacedDevice[] {
    return this.lastMisplaced;
  }

  /** One pass now (skipped, and false, when the observations cannot be trusted yet). */
  async pass(): Promise<boolean> {
    const { fleet, liveness, metrics, logger, natsUp } = this.options;
    if (!fleet.caughtUp || !liveness.watching || !natsUp()) {
      metrics.passes.inc({ outcome: 'skipped' });
      return false;
    }
    const started = performance.now();
    try {
      await this.reconcile();
      metrics.passes.inc({ outcome: 'ok' });
    } catch (err) {
      metrics.passes.inc({ outcome: 'failed' });
      logger.error('reconcile pass failed', { error: err });
    }
    metrics.passSeconds.observe((performance.now() - started) / 1000);
    return true;
  }

  private async reconcile(): Promise<void> {
    const { fleet, liveness, executor, metrics, clock, unreachableAfterMs, policy } = this.options;
    const now = clock();
    const started = performance.now();
    const plan = planReconcile({
      devices: fleet.state.devices,
      gateways: fleet.state.gateways,
      liveness: liveness.records,
      window: { now, observingSince: liveness.observingSince, unreachableAfterMs },
      policy,
    });
    metrics.observeFleet(fleet.state, plan.misplaced.length);
    this.lastMisplaced = plan.misplaced;
    const report = await executor.run(plan.actions);
    if (report.lastPosition > 0) await fleet.waitForPosition(report.lastPosition, OWN_WRITES_WAIT_MS);
    this.lastPass = { at: new Date(now).toISOString(), durationMs: performance.now() - started, planned: plan.actions.length, outcomes: report.outcomes };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .then(() => undefined)
        .finally(() => {
          this.running = undefined;
          this.schedule(this.options.reconcileMs);
        });
    }, delayMs);
  }
}
