import type { ConnectResult, TrafficResult } from './worker-messages';

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const reasons = (parts: readonly { errors: readonly string[] }[]) => [...new Set(parts.flatMap((p) => p.errors))];

/** The processes dialed side by side: counts add up, the time is the slowest one's. */
export function mergeConnect(parts: readonly ConnectResult[]): ConnectResult {
  return {
    established: parts.reduce((n, p) => n + p.established, 0),
    failed: parts.reduce((n, p) => n + p.failed, 0),
    elapsedMs: Math.max(0, ...parts.map((p) => p.elapsedMs)),
    readyMs: concat(parts.map((p) => p.readyMs)),
    errors: reasons(parts),
  };
}

/** Traffic of processes that measured the same window: counts add up, the window is the longest one reported. */
export function mergeTraffic(parts: readonly TrafficResult[]): TrafficResult {
  return {
    sent: parts.reduce((n, p) => n + p.sent, 0),
    answered: parts.reduce((n, p) => n + p.answered, 0),
    elapsedMs: Math.max(0, ...parts.map((p) => p.elapsedMs)),
    rttMs: concat(parts.map((p) => p.rttMs)),
    open: parts.reduce((n, p) => n + p.open, 0),
    errors: reasons(parts),
  };
}
