// The IPC between a bench (parent) and its load-generator processes (load-worker.ts).

/** What the devices talk to: the gateway (device protocol) or the bare echo server (same frames, echoed). */
export interface Target {
  readonly mode: 'gateway' | 'echo';
  readonly port: number;
  /** CA the devices verify the server certificate against. */
  readonly caPem: string;
}

export interface ConnectJob {
  readonly target: Target;
  /** Hex seed of this run: device i's key and name derive from it and i. */
  readonly runSeedHex: string;
  /** Devices first .. first + count - 1. */
  readonly first: number;
  readonly count: number;
  /** Connections of this process in progress at once. */
  readonly concurrency: number;
  /** Heartbeat period once a device is up; null: only when flooding. */
  readonly heartbeatMs: number | null;
}

export type WorkerRequest =
  | { readonly id: number; readonly kind: 'connect'; readonly job: ConnectJob }
  /** Zeroes the traffic counters; floodWindow > 0 also keeps that many heartbeats in flight per device from now on. */
  | { readonly id: number; readonly kind: 'traffic-start'; readonly floodWindow: number }
  /** Stops flooding and reports the traffic since traffic-start. */
  | { readonly id: number; readonly kind: 'traffic-stop' }
  | { readonly id: number; readonly kind: 'close' };

export interface ConnectResult {
  readonly established: number;
  readonly failed: number;
  /** Dialing time of this process, credentials excluded. */
  readonly elapsedMs: number;
  /** Per established device: from dialing to ready (TLS up; for the gateway, Welcome received), ms. */
  readonly readyMs: Float64Array;
  /** A few distinct failure reasons. */
  readonly errors: readonly string[];
}

export interface TrafficResult {
  readonly sent: number;
  readonly answered: number;
  readonly elapsedMs: number;
  /** Round trip of each answered heartbeat (ack or echo), ms. */
  readonly rttMs: Float64Array;
  /** Devices still connected. */
  readonly open: number;
  readonly errors: readonly string[];
}

export interface WorkerResults {
  connect: ConnectResult;
  'traffic-start': null;
  'traffic-stop': TrafficResult;
  close: null;
}

export type WorkerReply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: string };
