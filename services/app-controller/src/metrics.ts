import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Everything /metrics shows about the app-controller, on its own registry. */
export class ControllerMetrics {
  readonly registry = new Registry();
  readonly deploysSent = new Counter({
    name: 'wasmbed_app_controller_deploys_sent_total',
    help: 'DeployToDevice commands sent, by purpose: rollout (first send of a wave), retry (no outcome yet), drift (a running device lost its module)',
    labelNames: ['purpose'],
    registers: [this.registry],
  });
  readonly stopsSent = new Counter({
    name: 'wasmbed_app_controller_stops_sent_total',
    help: 'StopOnDevice commands sent, by purpose: wind-down (stop/delete) or orphan (device no longer a target)',
    labelNames: ['purpose'],
    registers: [this.registry],
  });
  readonly deviceReplies = new Counter({
    name: 'wasmbed_app_controller_device_replies_total',
    help: 'Replies to device commands, by command and reading: accepted, busy, rejected, transport',
    labelNames: ['command', 'reply'],
    registers: [this.registry],
  });
  readonly domainCommands = new Counter({
    name: 'wasmbed_app_controller_domain_commands_total',
    help: 'Application commands run, by type and outcome: applied (events recorded), unchanged (nothing to record), refused (the domain or the store said no)',
    labelNames: ['command', 'outcome'],
    registers: [this.registry],
  });
  readonly rolloutEvents = new Counter({
    name: 'wasmbed_app_controller_rollout_events_total',
    help: 'Rollout events seen live in the apps log (RolloutStarted, WaveCompleted, RolloutCompleted, RolloutFailed, RolloutRolledBack)',
    labelNames: ['event'],
    registers: [this.registry],
  });
  readonly deviceOutcomes = new Counter({
    name: 'wasmbed_app_controller_device_outcomes_total',
    help: 'Device outcomes seen live in the apps log: running, failed',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly reconcileSeconds = new Histogram({
    name: 'wasmbed_app_controller_reconcile_seconds',
    help: 'Time to plan one reconcile pass over every application',
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly applications: Gauge;

  constructor(options: { defaultMetrics?: boolean; phases?: () => Map<string, number> } = {}) {
    const phases = options.phases;
    this.applications = new Gauge({
      name: 'wasmbed_app_controller_applications',
      help: 'Applications by phase, as the controller sees the apps log',
      labelNames: ['phase'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [phase, count] of phases?.() ?? []) this.set({ phase }, count);
      },
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }
}
