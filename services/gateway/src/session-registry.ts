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

  /** Ticks every session whose deadline passed; returns how many. */
  sweep(): number {
    const due = this.wheel.due(this.clock());
    for (const session of due) {
      try {
        session.tick();
      } catch (err) {
        this.onTickError(err);
      }
    }
    return due.length;
  }

  startSweeping(): void {
    this.sweeper ??= setInterval(() => this.sweep(), this.wheel.resolutionMs);
    this.sweeper.unref();
  }

  stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
