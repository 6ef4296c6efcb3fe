import { join } from 'node:path';
import { SimDeviceConfigError } from '../errors';
import { SimDevice, type DeviceState, type SimDeviceConfig } from '../device/sim-device';
import { formatSummary, summarize, type FleetSummary } from './fleet-summary';

export interface FleetOptions {
  readonly count: number;
  /** Device names are `${namePrefix}-${index}` (index from 1, zero-padded). Default "sim". */
  readonly namePrefix?: string;
  /** "host:port" of the gateway. */
  readonly gateway: string;
  /** PEM of the CA the gateway's certificate chains to. */
  readonly ca: string;
  /** Each device keeps its key in `${keyDir}/${name}`, so a rerun keeps the same identities. Without it keys are ephemeral. */
  readonly keyDir?: string;
  /** Devices starting (identity + first TLS handshake) at once. Default 50. */
  readonly connectConcurrency?: number;
  /** Summary line period; 0 = no periodic line. Default 5000. */
  readonly summaryIntervalMs?: number;
  /** Where summary lines go. Default console.log. */
  readonly print?: (line: string) => void;
  /** Settings shared by every device (board, runtime, backoff...). */
  readonly device?: Partial<Omit<SimDeviceConfig, 'name' | 'gateway' | 'gatewayCa' | 'keyDir' | 'keySeed' | 'identity'>>;
}

/** States in which a starting device has finished its first attempt and frees its start slot. */
const SETTLED: ReadonlySet<DeviceState> = new Set(['enrolling', 'connected', 'rejected', 'disconnected']);

/**
 * N simulated devices in this process. Devices share code and hold no worker until
 * they run an app, so thousands fit; starts are throttled so the gateway sees a
 * ramp rather than N simultaneous handshakes.
 */
export class Fleet {
  readonly devices: readonly SimDevice[];
  private readonly timer?: NodeJS.Timeout;
  private readonly starting: Promise<void>;
  private stopped = false;
  private readonly print: (line: string) => void;

  constructor(private readonly options: FleetOptions) {
    if (!Number.isInteger(options.count) || options.count < 1) throw new SimDeviceConfigError(`count must be a positive integer, got ${options.count}`);
    const concurrency = options.connectConcurrency ?? 50;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new SimDeviceConfigError(`connect concurrency must be a positive integer, got ${concurrency}`);
    const prefix = options.namePrefix ?? 'sim';
    const width = String(options.count).length;
    this.devices = Array.from({ length: options.count }, (_, i) => {
      const name = `${prefix}-${String(i + 1).padStart(width, '0')}`;
      return new SimDevice({
        ...options.device,
        name,
        gateway: options.gateway,
        gatewayCa: options.ca,
        keyDir: options.keyDir === undefined ? undefined : join(options.keyDir, name),
      });
    });
    const print = options.print ?? ((line: string) => console.log(line));
    this.print = print;
    const interval = options.summaryIntervalMs ?? 5_000;
    if (interval > 0) {
      this.timer = setInterval(() => print(this.summaryLine()), interval);
      this.timer.unref();
    }
    this.starting = this.startAll(concurrency);
  }

  /** Resolves once every device has made its first connection attempt. */
  get started(): Promise<void> {
    return this.starting;
  }

  summary(): FleetSummary {
    return summarize(this.devices);
  }

  summaryLine(): string {
    return formatSummary(this.summary());
  }

  /** Resolves when `predicate` holds for the fleet's summary (checked on every device state change). */
  waitUntil(predicate: (summary: FleetSummary) => boolean): Promise<FleetSummary> {
    return new Promise((resolve) => {
      const check = (): void => {
        const summary = this.summary();
        if (!predicate(summary)) return;
        for (const d of this.devices) d.off('state', check);
        resolve(summary);
      };
      for (const d of this.devices) d.on('state', check);
      check();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all(this.devices.map((d) => d.stop()));
  }

  private async startAll(concurrency: number): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.devices.length && !this.stopped) {
        const device = this.devices[next++];
        try {
          await startAndSettle(device);
        } catch (err) {
          // One broken identity must not keep the rest of the fleet from starting.
          this.print(`fleet: ${device.config.name} did not start: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, this.devices.length) }, worker));
  }
}

/** Starts a device and resolves after its first attempt has settled (or failed to connect). */
async function startAndSettle(device: SimDevice): Promise<void> {
  const settled = new Promise<void>((resolve) => {
    const done = (): void => {
      device.off('state', onState);
      device.off('connectFailed', done);
      resolve();
    };
    const onState = (state: DeviceState): void => {
      if (SETTLED.has(state)) done();
    };
    device.on('state', onState);
    device.on('connectFailed', done);
  });
  await device.start();
  await settled;
}

/** Creates and starts a fleet. */
export function runFleet(options: FleetOptions): Fleet {
  return new Fleet(options);
}
