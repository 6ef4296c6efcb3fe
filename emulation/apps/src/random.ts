/** Seed of the reference host's random_u32 when none is given. */
export const DEFAULT_RANDOM_SEED = 0x9e3779b9;

/**
 * xorshift32 (Marsaglia): deterministic, so reference runs are reproducible.
 * Not cryptographic, and the ABI does not promise that random_u32 is.
 */
export function xorshift32(seed: number = DEFAULT_RANDOM_SEED): () => number {
  // Zero is xorshift's fixed point; it would return 0 forever.
  let x = seed >>> 0 || DEFAULT_RANDOM_SEED;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}
