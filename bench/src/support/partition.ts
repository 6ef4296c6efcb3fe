/** One process' share of a numbered range of devices. */
export interface Share {
  readonly first: number;
  readonly count: number;
}

/** Splits [0, total) into `parts` contiguous shares whose sizes differ by at most one; empty shares are left out. */
export function splitEvenly(total: number, parts: number): Share[] {
  const shares: Share[] = [];
  let first = 0;
  for (let i = 0; i < parts; i++) {
    const count = Math.floor(total / parts) + (i < total % parts ? 1 : 0);
    if (count > 0) shares.push({ first, count });
    first += count;
  }
  return shares;
}
