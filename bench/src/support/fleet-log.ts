import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { streamNameFor } from '@wasmbed/event-log';
import { sleep } from './sleep';

// The gateway's event store runs with @wasmbed/event-log's default stream prefix.
const FLEET_STREAM = streamNameFor('WASMBED_EVT', 'fleet');

export interface SettledLog {
  /** Position of the last commit. */
  readonly head: number;
  /** performance.now() when the head last moved. */
  readonly lastGrowthAt: number;
}

/** Watches the fleet log from outside the gateway, to see when its writes for a burst of sessions are done. */
export class FleetLogWatch {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
  ) {}

  static async open(natsUrl: string): Promise<FleetLogWatch> {
    const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
    return new FleetLogWatch(nc, await jetstreamManager(nc));
  }

  async head(): Promise<number> {
    return (await this.jsm.streams.info(FLEET_STREAM)).state.last_seq;
  }

  /** Polls the head until it has not moved for `quietMs` (or `timeoutMs` passed). */
  async settle(quietMs: number, timeoutMs: number): Promise<SettledLog> {
    const started = performance.now();
    let head = await this.head();
    let lastGrowthAt = performance.now();
    while (performance.now() - lastGrowthAt < quietMs && performance.now() - started < timeoutMs) {
      await sleep(50);
      const now = await this.head();
      if (now !== head) {
        head = now;
        lastGrowthAt = performance.now();
      }
    }
    return { head, lastGrowthAt };
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}
