export interface LagSummary {
  /** Lag samples seen since the last reset (the reservoir keeps a uniform sample of them). */
  readonly count: number;
  /** Seconds; undefined when no sample was taken. */
  readonly p50?: number;
  readonly p90?: number;
  readonly p99?: number;
  readonly max?: number;
}

/**
 * Uniform sample of apply lags (Vitter's algorithm R), so a bench can read exact
 * percentiles without bucket interpolation and with bounded memory.
 */
export class LagReservoir {
  readonly #samples: number[] = [];
  #count = 0;
  #max = 0;

  constructor(
    private readonly capacity = 10_000,
    private readonly random: () => number = Math.random,
  ) {}

  record(seconds: number): void {
    this.#count += 1;
    this.#max = this.#count === 1 ? seconds : Math.max(this.#max, seconds);
    if (this.#samples.length < this.capacity) {
      this.#samples.push(seconds);
      return;
    }
    const slot = Math.floor(this.random() * this.#count);
    if (slot < this.capacity) this.#samples[slot] = seconds;
  }

  summary(): LagSummary {
    if (this.#count === 0) return { count: 0 };
    const sorted = [...this.#samples].sort((a, b) => a - b);
    return {
      count: this.#count,
      p50: nearestRank(sorted, 0.5),
      p90: nearestRank(sorted, 0.9),
      p99: nearestRank(sorted, 0.99),
      max: this.#max,
    };
  }

  reset(): void {
    this.#samples.length = 0;
    this.#count = 0;
    this.#max = 0;
  }
}

function nearestRank(sorted: readonly number[], quantile: number): number {
  const rank = Math.max(1, Math.ceil(quantile * sorted.length));
  return sorted[rank - 1]!;
}
