/**
 * Child process: a load generator holding a share of the simulated devices. The
 * bench sends it jobs over IPC (worker-messages.ts): connect a range of devices,
 * count and time their heartbeats, flood, close. It exits with its parent.
 */
import type { SecureContext } from 'node:tls';
import { pipelined } from '../stats';
import { BenchDevice, type DeviceEvents } from './bench-device';
import { CertificateStamper, deviceName, deviceSeed } from './device-certificates';
import { SampleBuffer } from './samples';
import { SlotWheel } from './slot-wheel';
import type { ConnectJob, ConnectResult, TrafficResult, WorkerReply, WorkerRequest, WorkerResults } from './worker-messages';

const READY_TIMEOUT_MS = 60_000;
const TICK_MS = 10;
const MAX_REASONS = 5;

function note(reasons: Set<string>, reason: string): void {
  if (reasons.size < MAX_REASONS) reasons.add(reason);
}

class LoadGenerator {
  private devices: BenchDevice[] = [];
  private wheel?: SlotWheel<BenchDevice>;
  private timer?: NodeJS.Timeout;
  private stamper?: CertificateStamper;
  private floodWindow = 0;
  private sent = 0;
  private answered = 0;
  private trafficSince = performance.now();
  private readonly rtt = new SampleBuffer(1 << 16);
  private readonly trafficErrors = new Set<string>();

  private readonly events: DeviceEvents = {
    answered: (device, rttMs) => {
      this.answered += 1;
      this.rtt.push(rttMs);
      if (this.floodWindow > 0) this.topUp(device);
    },
    failed: (_device, reason) => note(this.trafficErrors, reason),
  };

  async connect(job: ConnectJob): Promise<ConnectResult> {
    const runSeed = Buffer.from(job.runSeedHex, 'hex');
    const runTag = job.runSeedHex.slice(0, 6);
    this.stamper ??= await CertificateStamper.create(deviceName(runTag, 0).length);
    // Keys, certificates and TLS contexts first, so that dialing is all the timed part does.
    const contexts: SecureContext[] = [];
    for (let i = 0; i < job.count; i++) {
      const index = job.first + i;
      contexts.push(BenchDevice.tlsContext(job.target, this.stamper.stamp(deviceSeed(runSeed, index), deviceName(runTag, index))));
    }
    if (job.heartbeatMs !== null) this.startHeartbeats(job.heartbeatMs);

    const readyMs = new SampleBuffer(job.count);
    const errors = new Set<string>();
    let failed = 0;
    const started = performance.now();
    await pipelined(job.count, job.concurrency, async (i) => {
      const dialed = performance.now();
      try {
        const device = await BenchDevice.open(job.target, contexts[i]!, this.events, READY_TIMEOUT_MS);
        readyMs.push(performance.now() - dialed);
        this.devices.push(device);
        this.wheel?.add(device);
      } catch (err) {
        failed += 1;
        note(errors, (err as Error).message);
      }
    });
    return { established: readyMs.length, failed, elapsedMs: performance.now() - started, readyMs: readyMs.values(), errors: [...errors] };
  }

  startTraffic(floodWindow: number): null {
    this.sent = 0;
    this.answered = 0;
    this.rtt.clear();
    this.trafficErrors.clear();
    this.trafficSince = performance.now();
    this.floodWindow = floodWindow;
    if (floodWindow > 0) for (const device of this.devices) this.topUp(device);
    return null;
  }

  stopTraffic(): TrafficResult {
    this.floodWindow = 0;
    return {
      sent: this.sent,
      answered: this.answered,
      elapsedMs: performance.now() - this.trafficSince,
      rttMs: this.rtt.values(),
      open: this.devices.filter((d) => d.isOpen).length,
      errors: [...this.trafficErrors],
    };
  }

  async close(): Promise<null> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.wheel = undefined;
    this.floodWindow = 0;
    await Promise.all(this.devices.map((d) => d.close()));
    this.devices = [];
    return null;
  }

  private startHeartbeats(intervalMs: number): void {
    if (this.wheel !== undefined) return;
    const wheel = new SlotWheel<BenchDevice>(intervalMs, TICK_MS, performance.now());
    this.wheel = wheel;
    this.timer = setInterval(() => {
      for (const device of wheel.collect(performance.now())) {
        if (this.floodWindow === 0) this.sent += device.sendHeartbeats();
      }
    }, TICK_MS);
  }

  private topUp(device: BenchDevice): void {
    this.sent += device.sendHeartbeats(this.floodWindow - device.inFlight);
  }
}

const generator = new LoadGenerator();

async function handle(request: WorkerRequest): Promise<WorkerResults[WorkerRequest['kind']]> {
  switch (request.kind) {
    case 'connect':
      return generator.connect(request.job);
    case 'traffic-start':
      return generator.startTraffic(request.floodWindow);
    case 'traffic-stop':
      return generator.stopTraffic();
    case 'close':
      return generator.close();
  }
}

process.on('message', (request: WorkerRequest) => {
  const reply = (message: WorkerReply) => process.send?.(message);
  handle(request).then(
    (result) => reply({ id: request.id, ok: true, result }),
    (err: unknown) => reply({ id: request.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
