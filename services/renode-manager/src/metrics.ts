import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { BACKEND_KINDS } from './boards/board-catalogue';
import type { EmulatedDeviceView } from './devices/emulated-device';
import { DEVICE_PHASES } from './lifecycle/lifecycle';

type Observed = 'launch' | 'launch_failed' | 'crash' | 'console_line';

/** Everything /metrics shows about the manager, on its own registry. */
export class ManagerMetrics {
  readonly registry = new Registry();
  private readonly events = new Counter({
    name: 'wasmbed_renode_manager_events_total',
    help: 'Emulator launches, failed launches, crashes (unrequested ends of a run) and console lines published',
    labelNames: ['event'],
    registers: [this.registry],
  });

  constructor(devices: () => readonly EmulatedDeviceView[], backendsAvailable: () => Readonly<Record<string, boolean>>, options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    for (const event of ['launch', 'launch_failed', 'crash', 'console_line']) this.events.inc({ event }, 0);
    new Gauge({
      name: 'wasmbed_renode_manager_devices',
      help: 'Emulated devices by phase and backend',
      labelNames: ['phase', 'backend'],
      registers: [this.registry],
      collect() {
        for (const phase of DEVICE_PHASES) for (const backend of BACKEND_KINDS) this.set({ phase, backend }, 0);
        for (const d of devices()) this.inc({ phase: d.phase, backend: d.backend });
      },
    });
    new Gauge({
      name: 'wasmbed_renode_manager_bridge_bytes',
      help: 'Bytes the serial bridges relayed in the current runs, by direction',
      labelNames: ['direction'],
      registers: [this.registry],
      collect() {
        const all = devices().map((d) => d.bridge);
        this.set({ direction: 'to_gateway' }, all.reduce((n, b) => n + (b?.toGateway ?? 0), 0));
        this.set({ direction: 'to_device' }, all.reduce((n, b) => n + (b?.toDevice ?? 0), 0));
      },
    });
    new Gauge({
      name: 'wasmbed_renode_manager_bridge_anomalies',
      help: 'What the serial bridges of the current runs did not relay or follow: device bytes dropped, garbled record headers, refused agent: dialing endpoints',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        const all = devices().map((d) => d.bridge);
        this.set({ kind: 'dropped_bytes' }, all.reduce((n, b) => n + (b?.droppedBytes ?? 0), 0));
        this.set({ kind: 'resyncs' }, all.reduce((n, b) => n + (b?.resyncs ?? 0), 0));
        this.set({ kind: 'refused_endpoints' }, all.reduce((n, b) => n + (b?.refusedEndpoints ?? 0), 0));
      },
    });
    new Gauge({
      name: 'wasmbed_renode_manager_backend_available',
      help: 'Whether a backend is installed and enabled (1) or not (0)',
      labelNames: ['backend'],
      registers: [this.registry],
      collect() {
        for (const [backend, available] of Object.entries(backendsAvailable())) this.set({ backend }, available ? 1 : 0);
      },
    });
  }

  observe = (event: Observed): void => {
    this.events.inc({ event });
  };
}
