/** A growable list of numbers in a Float64Array: cheap to fill at high rates and to send between processes. */
export class SampleBuffer {
  private data: Float64Array;
  private size = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = value;
  }

  clear(): void {
    this.size = 0;
  }

  /** A copy of the values pushed since the last clear. */
  values(): Float64Array {
    return this.data.slice(0, this.size);
  }
}

