import type { Logger } from '@wasmbed/service-kit';
import type { ActionExecutor } from './executor';
import type { FleetView } from './fleet-view';
import type { LivenessView } from './liveness-view';
import type { ControllerMetrics, ActionOutcome } from './metrics';
import type { MoveLedger } from './move-ledger';
import type { MoveSender } from './move-sender';
import { planReconcile } from './planner';
import type { DrainStatus } from './rules/drain';
import type { EnrollmentPolicy } from './rules/enrollment';
import type { MisplacedDevice, MovePolicy } from './rules/placement';

/** How long a pass waits for the log to show its own writes, so the next pass does not plan them again. */
const OWN_WRITES_WAIT_MS = 5_000;

export interface ReconcilerOptions {
  readonly fleet: FleetView;
  readonly liveness: LivenessView;
  readonly executor: ActionExecutor;
  readonly mover: MoveSender;
  readonly ledger: MoveLedger;
  readonly movePolicy: MovePolicy;
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
  /** Domain commands planned. */
  readonly planned: number;
  readonly outcomes: Readonly<Record<ActionOutcome, number>>;
  /** Moves (device-bus RebalanceDevice) sent, by outcome. */
  readonly moves: Readonly<Record<ActionOutcome, number>>;
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
  private lastDrains: readonly DrainStatus[] = [];

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

  get drains(): readonly DrainStatus[] {
    return this.lastDrains;
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
    const { fleet, liveness, executor, mover, ledger, movePolicy, metrics, clock, unreachableAfterMs, policy } = this.options;
    const now = clock();
    const started = performance.now();
    const plan = planReconcile({
      devices: fleet.state.devices,
      gateways: fleet.state.gateways,
      liveness: liveness.records,
      window: { now, observingSince: liveness.observingSince, unreachableAfterMs },
      policy,
      moves: ledger.records,
      movePolicy,
    });
    metrics.observeFleet(fleet.state, plan.misplaced.length);
    this.lastMisplaced = plan.misplaced;
    this.lastDrains = plan.drains;
    ledger.retain(new Set(plan.misplaced.map((m) => m.deviceId)));
    // Moves and commands touch different things (a gateway's sessions, the log): run them side by side.
    const [report, moves] = await Promise.all([executor.run(plan.actions), mover.run(plan.moves)]);
    if (report.lastPosition > 0) await fleet.waitForPosition(report.lastPosition, OWN_WRITES_WAIT_MS);
    this.lastPass = { at: new Date(now).toISOString(), durationMs: performance.now() - started, planned: plan.actions.length, outcomes: report.outcomes, moves };
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
