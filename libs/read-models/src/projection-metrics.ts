import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

// Fine below 100 ms, where a healthy live projection sits; coarse above for replays.
export const LAG_SECONDS_BUCKETS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/**
 * Several runners share one registry (one /metrics per service), so each metric
 * is created once per registry and then reused by label.
 */
function metric<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

export class ProjectionMetrics {
  readonly #checkpoint: Gauge<'projection' | 'context'>;
  readonly #lagEvents: Gauge<'projection' | 'context'>;
  readonly #lagSeconds: Histogram<'projection'>;
  readonly #events: Counter<'projection'>;
  readonly #errors: Counter<'projection'>;
  readonly #skippedWrites: Counter<'projection'>;

  constructor(
    registry: Registry,
    private readonly projection: string,
  ) {
    const registers = [registry];
    const gauge = (name: string, help: string) =>
      metric(registry, name, () => new Gauge({ name, help, labelNames: ['projection', 'context'] as const, registers }));
    const counter = (name: string, help: string) =>
      metric(registry, name, () => new Counter({ name, help, labelNames: ['projection'] as const, registers }));
    this.#checkpoint = gauge('wasmbed_projection_checkpoint', 'Last commit position applied by the projection, per context log.');
    this.#lagEvents = gauge(
      'wasmbed_projection_lag_events',
      'Context log head minus projection checkpoint (positions still to apply).',
    );
    this.#lagSeconds = metric(registry, 'wasmbed_projection_lag_seconds', () => new Histogram({
      name: 'wasmbed_projection_lag_seconds',
      help: 'Time from an event being stored to the projection having applied it.',
      labelNames: ['projection'] as const,
      buckets: LAG_SECONDS_BUCKETS,
      registers,
    }));
    this.#events = counter('wasmbed_projection_events_total', 'Events handed to the projection handler and applied.');
    this.#errors = counter(
      'wasmbed_projection_errors_total',
      'Failures that stopped the projection (handler, decode or store errors).',
    );
    this.#skippedWrites = counter(
      'wasmbed_projection_skipped_writes_total',
      'Writes dropped because the document already held the event (redelivery).',
    );
    // Counters start at 0 so dashboards see the series before the first event.
    const labels = { projection };
    this.#events.inc(labels, 0);
    this.#errors.inc(labels, 0);
    this.#skippedWrites.inc(labels, 0);
  }

  progress(context: string, checkpoint: number, lagEvents: number): void {
    const labels = { projection: this.projection, context };
    this.#checkpoint.set(labels, checkpoint);
    this.#lagEvents.set(labels, lagEvents);
  }

  applied(events: number, lagSeconds: number, skippedWrites: number): void {
    const labels = { projection: this.projection };
    for (let i = 0; i < events; i += 1) this.#lagSeconds.observe(labels, lagSeconds);
    if (events > 0) this.#events.inc(labels, events);
    if (skippedWrites > 0) this.#skippedWrites.inc(labels, skippedWrites);
  }

  failed(): void {
    this.#errors.inc({ projection: this.projection });
  }
}
