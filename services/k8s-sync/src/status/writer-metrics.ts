import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What /metrics shows about status writes, on the service's registry. */
export class WriterMetrics {
  readonly writes: Counter<'kind'>;
  readonly skippedUnchanged: Counter<'kind'>;
  readonly coalesced: Counter<'kind'>;
  readonly largestBytes: Gauge<'kind'>;
  readonly errors: Counter<'kind' | 'reason'>;
  readonly writeSeconds: Histogram<'kind'>;

  constructor(registry: Registry, state: { pending: () => number; inFlight: () => number }) {
    const registers = [registry];
    this.writes = new Counter({ name: 'wasmbed_k8s_sync_status_writes_total', help: 'Status subresource writes that succeeded, by kind', labelNames: ['kind'], registers });
    this.skippedUnchanged = new Counter({
      name: 'wasmbed_k8s_sync_status_skipped_unchanged_total',
      help: 'Statuses set that equal the one written (or queued), so nothing was written',
      labelNames: ['kind'],
      registers,
    });
    this.coalesced = new Counter({
      name: 'wasmbed_k8s_sync_status_coalesced_total',
      help: 'Queued statuses replaced by a newer one before they were written (at most one write per object per interval)',
      labelNames: ['kind'],
      registers,
    });
    this.largestBytes = new Gauge({ name: 'wasmbed_k8s_sync_status_largest_bytes', help: 'Size of the largest status written, as JSON, by kind', labelNames: ['kind'], registers });
    this.errors = new Counter({
      name: 'wasmbed_k8s_sync_status_write_errors_total',
      help: 'Failed status writes, by kind and reason (not_found: the object is gone and forgotten; http_<code>; transport); all but not_found are retried',
      labelNames: ['kind', 'reason'],
      registers,
    });
    this.writeSeconds = new Histogram({
      name: 'wasmbed_k8s_sync_status_write_seconds',
      help: 'Time of one status write against the apiserver',
      labelNames: ['kind'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    new Gauge({
      name: 'wasmbed_k8s_sync_status_pending',
      help: 'Objects whose latest status is not written yet',
      registers,
      collect() {
        this.set(state.pending());
      },
    });
    new Gauge({
      name: 'wasmbed_k8s_sync_status_in_flight',
      help: 'Status writes under way',
      registers,
      collect() {
        this.set(state.inFlight());
      },
    });
  }
}
