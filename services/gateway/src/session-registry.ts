import { DeadlineWheel } from './deadline-wheel';

/** What the registry needs of a session. */
export interface RegisteredSession {
  readonly sessionId: string;
  /** Fires the session's expired deadline (the protocol machine decides what that means). */
  tick(): void;
  /** Another session of the same device took over. */
  supersede(): void;
}

/**
 * Every open session of this gateway: by id, by device, and in one deadline
 * wheel swept by a single timer (hello timeouts, pending holds, missed
 * heartbeats) instead of a timer per session.
 */
export class SessionRegistry<S extends RegisteredSession> {
  private readonly sessions = new Map<string, S>();
  private readonly byDevice = new Map<string, S>();
  private readonly wheel: DeadlineWheel<S>;
  private sweeper?: NodeJS.Timeout;

  constructor(
    readonly capacity: number,
    private readonly clock: () => number,
    resolutionMs: number,
    private readonly onTickError: (err: unknown) => void = () => undefined,
    /** A sweep this late is after a stall of this process (see startSweeping). */
    private readonly stallMs = 1_000,
  ) {
    this.wheel = new DeadlineWheel<S>(resolutionMs, clock());
  }

  get size(): number {
    return this.sessions.size;
  }

  get full(): boolean {
    return this.sessions.size >= this.capacity;
  }

  all(): S[] {
    return [...this.sessions.values()];
  }

  /** Whether a session with this id is open here. */
  holds(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  add(session: S): void {
    this.sessions.set(session.sessionId, session);
  }

  /** The session serving `deviceId` now, if any. */
  forDevice(deviceId: string): S | undefined {
    return this.byDevice.get(deviceId);
  }

  /** Makes `session` the one serving `deviceId`; an older one is superseded. */
  claim(deviceId: string, session: S): void {
    const previous = this.byDevice.get(deviceId);
    this.byDevice.set(deviceId, session);
    if (previous !== undefined && previous !== session) previous.supersede();
  }

  remove(session: S, deviceId?: string): void {
    if (this.sessions.get(session.sessionId) === session) this.sessions.delete(session.sessionId);
    this.wheel.remove(session);
    if (deviceId !== undefined && this.byDevice.get(deviceId) === session) this.byDevice.delete(deviceId);
  }

  schedule(session: S, deadlineMs: number | null): void {
    if (this.sessions.get(session.sessionId) === session) this.wheel.schedule(session, deadlineMs);
    else this.wheel.remove(session);
  }

  /**
   * Ticks every session whose deadline passed; returns how many. After a stall
   * of this process (`stalledMs` > 0), those sessions get that much grace
   * instead: what their devices sent during the stall may still be unread.
   */
  sweep(stalledMs = 0): number {
    const now = this.clock();
    const due = this.wheel.due(now);
    if (stalledMs > 0) {
      for (const session of due) this.schedule(session, now + stalledMs);
      return 0;
    }
    for (const session of due) {
      try {
        session.tick();
      } catch (err) {
        this.onTickError(err);
      }
    }
    return due.length;
  }

  /**
   * Sweeps every resolution. Why the stall check: when this process got no CPU
   * for a while (a starved or paused machine), the timers of the next event-loop
   * turn run before its I/O, so a plain sweep would close, as silent, sessions
   * whose heartbeats sit unread in their sockets. Observed under load: a gateway
   * stalled for a minute timed out hundreds of live sessions, and the reconnect
   * storm (TLS handshakes, re-deploys) kept the machine overloaded. A session
   * that is really silent is closed one stall later.
   */
  startSweeping(): void {
    if (this.sweeper !== undefined) return;
    let last = this.clock();
    this.sweeper = setInterval(() => {
      const now = this.clock();
      const late = now - last - this.wheel.resolutionMs;
      last = now;
      this.sweep(late >= this.stallMs ? late : 0);
    }, this.wheel.resolutionMs);
    this.sweeper.unref();
  }

  stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
