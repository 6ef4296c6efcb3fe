import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { FLEET_COMMAND_TYPES } from './fleet-commands';
import type { CommandOutcome } from './executor';
import { SYNC_KINDS, type SyncKind } from './resources';

export type ObjectWrite = 'create' | 'finalizer' | 'annotations' | 'spec' | 'delete';
export type WriteOutcome = 'ok' | 'conflict' | 'error';

const COMMAND_OUTCOMES: readonly CommandOutcome[] = ['applied', 'refused', 'stale', 'failed'];

export interface SyncGauges {
  readonly queueDepth: () => number;
  readonly objects: (kind: SyncKind) => number;
  readonly fleetResources: (kind: SyncKind) => number;
}

/** Everything /metrics shows about the sync (the status writer adds its own on the same registry). */
export class SyncMetrics {
  readonly registry = new Registry();
  readonly commands: Counter<'command' | 'outcome'>;
  readonly reconciles: Counter<'kind' | 'action'>;
  readonly writes: Counter<'kind' | 'write' | 'outcome'>;
  readonly watchRestarts: Counter<'source' | 'kind' | 'reason'>;
  readonly leader: Gauge;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.commands = new Counter({ name: 'wasmbed_k8s_sync_commands_total', help: 'api commands sent by the sync, by command and outcome', labelNames: ['command', 'outcome'], registers });
    this.reconciles = new Counter({ name: 'wasmbed_k8s_sync_reconciles_total', help: 'Reconciles of one object, by kind and planned action', labelNames: ['kind', 'action'], registers });
    this.writes = new Counter({ name: 'wasmbed_k8s_sync_object_writes_total', help: 'Writes to Device/Application/Gateway objects (status excluded), by kind, write and outcome', labelNames: ['kind', 'write', 'outcome'], registers });
    this.watchRestarts = new Counter({
      name: 'wasmbed_k8s_sync_watch_restarts_total',
      help: 'Watches restarted, by source (kubernetes, fleet), kind and reason (relist_expired = 410 Gone)',
      labelNames: ['source', 'kind', 'reason'],
      registers,
    });
    this.leader = new Gauge({ name: 'wasmbed_k8s_sync_leader', help: '1 while this instance holds the lease (only the leader writes)', registers });
    // Every series from the start, so rates and alerts work before the first command.
    for (const command of FLEET_COMMAND_TYPES) for (const outcome of COMMAND_OUTCOMES) this.commands.inc({ command, outcome }, 0);
  }

  /** Gauges read at scrape time from the running sync. */
  track(gauges: SyncGauges): void {
    const registers = [this.registry];
    new Gauge({
      name: 'wasmbed_k8s_sync_queue_depth',
      help: 'Objects waiting to be reconciled or being reconciled',
      registers,
      collect() {
        this.set(gauges.queueDepth());
      },
    });
    new Gauge({
      name: 'wasmbed_k8s_sync_objects',
      help: 'Objects in Kubernetes, by kind',
      labelNames: ['kind'],
      registers,
      collect() {
        for (const kind of SYNC_KINDS) this.set({ kind }, gauges.objects(kind));
      },
    });
    new Gauge({
      name: 'wasmbed_k8s_sync_fleet_resources',
      help: 'Resources in the api read models, by kind',
      labelNames: ['kind'],
      registers,
      collect() {
        for (const kind of SYNC_KINDS) this.set({ kind }, gauges.fleetResources(kind));
      },
    });
  }
}
