import type { Metric, Registry } from 'prom-client';

/**
 * A Prometheus histogram without labels whose observe() is a few comparisons and
 * additions. prom-client's Histogram hashes the label set and allocates a closure
 * on every observation, which showed on the per-heartbeat path. It registers like
 * any metric and is exposed in the same text format (cumulative `le` buckets,
 * `+Inf`, `_sum`, `_count`).
 */
export class LocalHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly upperBounds: readonly number[];
  /** Observations per bucket, not cumulative; the last slot is above every bound. */
  private counts: Float64Array;
  private sum = 0;
  /** As prom-client: a reset histogram shows no series until its next observation. */
  private shown = true;

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
    registry: Registry,
  ) {
    this.upperBounds = [...buckets].sort((a, b) => a - b);
    this.counts = new Float64Array(this.upperBounds.length + 1);
    // The registry only reads name, type and get()/reset(): the shape prom-client's own metrics have.
    registry.registerMetric(this as unknown as Metric);
  }

  observe(value: number): void {
    const bounds = this.upperBounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.shown = true;
  }

  get count(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  reset(): void {
    this.counts = new Float64Array(this.upperBounds.length + 1);
    this.sum = 0;
    this.shown = false;
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: { value: number; labels: Record<string, string | number>; metricName: string }[] } {
    if (!this.shown) return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [] };
    let cumulative = 0;
    const buckets = this.upperBounds.map((le, i) => {
      cumulative += this.counts[i];
      return { value: cumulative, labels: { le }, metricName: `${this.name}_bucket` };
    });
    const count = this.count;
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [
        ...buckets,
        { value: count, labels: { le: '+Inf' }, metricName: `${this.name}_bucket` },
        { value: this.sum, labels: {}, metricName: `${this.name}_sum` },
        { value: count, labels: {}, metricName: `${this.name}_count` },
      ],
    };
  }
}
