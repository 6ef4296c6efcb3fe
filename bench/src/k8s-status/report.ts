import { formatTable, num } from '../support/report';
import type { PhaseResult, WaitKey } from './phase';
import type { RawBaseline } from './raw-baseline';

export interface K8sStatusReport {
  readonly devices: number;
  readonly intervalMs: number;
  /** k8s-sync's WASMBED_K8S_SYNC_WORKERS and WASMBED_K8S_STATUS_MAX_IN_FLIGHT. */
  readonly sync: { readonly workers: number; readonly statusInFlight: number };
  readonly phases: readonly PhaseResult[];
  readonly raw: RawBaseline;
  readonly largest: { readonly device: number; readonly application: number };
  readonly answered: Readonly<Record<string, number>>;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));

/** The figures tables: convergence times beside the read model, then writes against the coalescing budget. */
export function formatK8sStatusReport(r: K8sStatusReport): string {
  const timing = (p: PhaseResult, what: string, readModel: WaitKey, status: WaitKey): [string, string, string][] =>
    p.ms[status] === undefined ? [] : [[`${p.name}: ${what}`, seconds(p.ms[readModel]), seconds(p.ms[status])]];
  const objects = r.devices + 1;
  const budget = r.intervalMs > 0 ? objects / (r.intervalMs / 1000) : Number.POSITIVE_INFINITY;
  return [
    '',
    formatTable(
      ['seconds from the change until converged', 'read model (api)', 'k8s status'],
      r.phases.flatMap((p) => [...timing(p, 'the application', 'readModelApp', 'statusApp'), ...timing(p, `all ${r.devices} devices`, 'readModelDevices', 'statusDevices')]),
    ),
    '',
    formatTable(
      ['status writes', `budget ${objects} obj / ${r.intervalMs} ms`, 'observed'],
      [
        ...r.phases.flatMap((p): [string, string, string][] => [
          [`${p.name}: changes seen (watch) / written (sync)`, '-', `${p.writes.count} / ${p.sync.writes}`],
          [`${p.name}: writes/s average / busiest interval`, num(budget), `${num(p.writes.averagePerSecond)} / ${num(p.writes.busiestPerSecond)}`],
          [`${p.name}: coalesced / unchanged skipped / errors`, '-', `${p.sync.coalesced} / ${p.sync.skippedUnchanged} / ${p.sync.errors}`],
        ]),
        ...[...r.raw.statusWritesPerSecond].map(([inFlight, perSecond]): [string, string, string] => [`raw floor: status writes/s, ${inFlight} in flight, no control plane`, '-', num(perSecond)]),
        ['raw floor: Device objects created/s', '-', num(r.raw.createsPerSecond)],
        ['largest Device status (bytes)', '-', String(r.largest.device)],
        ['largest Application status (bytes)', '< 8192', String(r.largest.application)],
      ],
    ),
    '',
    `k8s-sync: ${r.sync.workers} workers, ${r.sync.statusInFlight} status writes in flight`,
    `fake fleet answered: ${JSON.stringify(r.answered)} (no real devices: see the README)`,
    'read model = the api’s WatchDevices / WatchApplications streams (the control plane knows); k8s status = a watch on the objects (kubectl shows).',
    'writes/s = status changes the watch saw, over the phase and in its busiest window of one interval; the budget is the most coalescing allows (one write per object per interval).',
    'written / coalesced / skipped = k8s-sync’s StatusWriter totals over the phase (GET /status); raw floor = the same apiserver and client without the control plane.',
  ].join('\n');
}
