/**
 * Polls `probe` until it gives a value (anything but undefined or false). A probe
 * that throws is retried; on timeout the error names `what`, the last error seen
 * and, when given, the tail of the processes' output (`logs`).
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  logs?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}${logs ? `\n${logs()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
