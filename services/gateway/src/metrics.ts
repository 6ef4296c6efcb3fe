import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { LocalHistogram } from './local-histogram';

export type HandshakeOutcome = 'ok' | 'tls_failed' | 'no_certificate' | 'bad_certificate' | 'over_capacity' | 'revoked';

/** Everything /metrics shows about the gateway, on its own registry. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly sessions = new Gauge({ name: 'wasmbed_gateway_sessions', help: 'Device connections open (any phase)', registers: [this.registry] });
  readonly handshakes = new Counter({
    name: 'wasmbed_gateway_handshakes_total',
    help: 'TLS connections by outcome of the handshake and identity checks',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  /** Frames counted as plain numbers on the per-frame path, added to the counter when it is read. */
  private readonly unreportedFrames = { in: 0, out: 0 };
  private readonly frames = new Counter({
    name: 'wasmbed_gateway_frames_total',
    help: 'Protocol frames by direction',
    labelNames: ['direction'],
    registers: [this.registry],
    collect: () => this.reportFrames(),
  });
  readonly protocolErrors = new Counter({
    name: 'wasmbed_gateway_protocol_errors_total',
    help: 'Error frames sent to devices, by protocol error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly enrollments = new Counter({
    name: 'wasmbed_gateway_enrollments_total',
    help: 'Enrollment outcomes (welcome, pending, rejected, failed)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly rebalances = new Counter({
    name: 'wasmbed_gateway_rebalances_total',
    help: 'RebalanceDevice commands by outcome (sent: Bye rebalance with the endpoint; stale_session; unsupported: no "redirect" feature)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly heartbeatSeconds = new LocalHistogram(
    'wasmbed_gateway_heartbeat_handling_seconds',
    'Time from a Heartbeat frame to its liveness record being written',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    this.registry,
  );

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  countFrame(direction: 'in' | 'out'): void {
    this.unreportedFrames[direction]++;
  }

  private reportFrames(): void {
    for (const direction of ['in', 'out'] as const) {
      const n = this.unreportedFrames[direction];
      if (n === 0) continue;
      this.unreportedFrames[direction] = 0;
      this.frames.inc({ direction }, n);
    }
  }
}
