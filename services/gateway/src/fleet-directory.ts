import {
  deviceDecider,
  gatewayDecider,
  initialDeviceState,
  initialGatewayState,
  type Device,
  type DeviceEvent,
  type DeviceState,
  type GatewayEvent,
  type GatewayState,
} from '@wasmbed/domain';
import type { EventStore, RecordedEvent, Subscription } from '@wasmbed/event-log';
import type { Logger } from './logger';

type FleetEvent = DeviceEvent | GatewayEvent;
export type FleetListener = (event: RecordedEvent<FleetEvent>) => void;

/** A device stream's state as folded here, and the version (position of its last commit) it folds up to. */
export interface KnownDeviceStream {
  readonly state: DeviceState;
  readonly streamVersion: number;
}

const RESUBSCRIBE_MS = 1_000;

/**
 * The gateway's in-memory read model of the fleet log: every device's state (to
 * find a device by its public key) and this gateway's own state (pairing mode),
 * folded with the domain's own evolve functions. Listeners see each event once,
 * in log order, after it was folded in. Lookups may lag the log slightly; every
 * decision is still taken by the domain on the stream itself.
 */
export class FleetDirectory {
  private readonly devices = new Map<string, Device>();
  private readonly deviceByKey = new Map<string, string>();
  /** Position of the last commit folded per device stream: what a write on that view expects. */
  private readonly deviceVersions = new Map<string, number>();
  private gateway: GatewayState = initialGatewayState();
  private readonly listeners = new Set<FleetListener>();
  private readonly waiters: { position: number; resolve: () => void }[] = [];
  private subscription?: Subscription;
  private stopped = false;
  private lastPosition = 0;
  private caughtUpTo = Number.POSITIVE_INFINITY;
  private caughtUp?: () => void;

  private constructor(
    private readonly store: EventStore,
    private readonly gatewayId: string,
    private readonly logger: Logger,
  ) {}

  /** Replays the fleet log up to its current head, then follows it. */
  static async start(store: EventStore, gatewayId: string, logger: Logger): Promise<FleetDirectory> {
    const directory = new FleetDirectory(store, gatewayId, logger);
    const head = await store.headPosition('fleet');
    const ready = head === 0 ? Promise.resolve() : new Promise<void>((resolve) => (directory.caughtUp = resolve));
    directory.caughtUpTo = head;
    await directory.subscribe();
    await ready;
    return directory;
  }

  /** Position of the last fleet commit folded in. */
  get position(): number {
    return this.lastPosition;
  }

  /** Following the log right now (false after a subscription failure until it resumed). */
  get live(): boolean {
    return this.subscription !== undefined && !this.stopped;
  }

  deviceWithKey(publicKeyHex: string): Device | undefined {
    const deviceId = this.deviceByKey.get(publicKeyHex);
    return deviceId === undefined ? undefined : this.devices.get(deviceId);
  }

  device(deviceId: string): Device | undefined {
    return this.devices.get(deviceId);
  }

  /** The device's stream as of the last commit folded in (Initial at version 0 when none was seen). */
  deviceStream(deviceId: string): KnownDeviceStream {
    return { state: this.devices.get(deviceId) ?? initialDeviceState(), streamVersion: this.deviceVersions.get(deviceId) ?? 0 };
  }

  gatewayState(): GatewayState {
    return this.gateway;
  }

  onEvent(listener: FleetListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the commit at `position` is folded in, or after `timeoutMs` (false). */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.lastPosition >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          resolve(false);
        }
      }, timeoutMs).unref();
      // Every enrollment waits here briefly: its timer goes as soon as the position is reached.
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(waiter);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
  }

  private async subscribe(): Promise<void> {
    const subscription = await this.store.subscribe<FleetEvent>({
      context: 'fleet',
      afterPosition: this.lastPosition,
      onCommit: async (events) => this.apply(events),
      onError: (err) => {
        this.subscription = undefined;
        if (this.stopped) return;
        this.logger.warn('fleet log subscription failed; resuming', { error: err, position: this.lastPosition });
        this.resubscribeLater();
      },
    });
    this.subscription = subscription;
  }

  private resubscribeLater(): void {
    setTimeout(() => {
      if (this.stopped) return;
      this.subscribe().catch((err: unknown) => {
        this.logger.warn('resuming the fleet log subscription failed; retrying', { error: err });
        this.resubscribeLater();
      });
    }, RESUBSCRIBE_MS).unref();
  }

  private apply(events: RecordedEvent<FleetEvent>[]): void {
    for (const event of events) {
      this.fold(event);
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (err) {
          this.logger.error('fleet listener failed', { error: err, type: event.type });
        }
      }
    }
    const position = events[0]?.position ?? this.lastPosition;
    this.lastPosition = Math.max(this.lastPosition, position);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].position <= this.lastPosition) this.waiters.splice(i, 1)[0].resolve();
    }
    if (this.lastPosition >= this.caughtUpTo) {
      this.caughtUpTo = Number.POSITIVE_INFINITY;
      this.caughtUp?.();
    }
  }

  private fold(event: RecordedEvent<FleetEvent>): void {
    const domainEvent = { type: event.type, data: event.data } as FleetEvent;
    if (event.stream.aggregateType === 'gateway') {
      if (event.stream.aggregateId === this.gatewayId) this.gateway = gatewayDecider.evolve(this.gateway, domainEvent as GatewayEvent);
      return;
    }
    const deviceId = event.stream.aggregateId;
    const before = this.devices.get(deviceId);
    const after = deviceDecider.evolve(before ?? { status: 'Initial' }, domainEvent as DeviceEvent);
    if (after.status === 'Initial') return;
    this.devices.set(deviceId, after);
    // Only once the whole commit is in: a listener reading mid-commit gets the older version
    // with a partly folded state, so a write decided on it conflicts instead of landing.
    if (event.indexInCommit === event.commitSize - 1) this.deviceVersions.set(deviceId, event.position);
    if (before !== undefined && before.publicKey !== after.publicKey) this.deviceByKey.delete(before.publicKey);
    this.deviceByKey.set(after.publicKey, deviceId);
  }
}
