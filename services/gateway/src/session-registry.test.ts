import { SessionRegistry, type RegisteredSession } from './session-registry';

class FakeSession implements RegisteredSession {
  ticks = 0;
  superseded = 0;
  constructor(readonly sessionId: string) {}
  tick() {
    this.ticks++;
  }
  supersede() {
    this.superseded++;
  }
}

describe('session registry and its sweeper', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 0;
  });

  it('ticks only the sessions whose deadline passed, once each', () => {
    const registry = new SessionRegistry<FakeSession>(10, clock, 100);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => new FakeSession(id));
    for (const s of [a, b, c]) registry.add(s);
    registry.schedule(a, 3_000);
    registry.schedule(b, 3_000);
    registry.schedule(c, 9_000);
    now = 2_999;
    expect(registry.sweep()).toBe(0);
    now = 3_000;
    expect(registry.sweep()).toBe(2);
    now = 3_500;
    expect(registry.sweep()).toBe(0);
    expect([a.ticks, b.ticks, c.ticks]).toEqual([1, 1, 0]);
  });

  it('a heartbeat moves the deadline, so a live session is never ticked', () => {
    const registry = new SessionRegistry<FakeSession>(10, clock, 100);
    const s = new FakeSession('s');
    registry.add(s);
    for (now = 0; now < 30_000; now += 1_000) {
      registry.schedule(s, now + 3_000);
      registry.sweep();
    }
    expect(s.ticks).toBe(0);
  });

  it('forgets removed sessions and their deadlines', () => {
    const registry = new SessionRegistry<FakeSession>(10, clock, 100);
    const s = new FakeSession('s');
    registry.add(s);
    registry.schedule(s, 100);
    registry.remove(s);
    registry.schedule(s, 100); // a late reschedule from a closing session
    now = 1_000;
    expect(registry.sweep()).toBe(0);
    expect(registry.size).toBe(0);
  });

  it('supersedes the older session of a device that connects again', () => {
    const registry = new SessionRegistry<FakeSession>(10, clock, 100);
    const old = new FakeSession('old');
    const fresh = new FakeSession('new');
    registry.add(old);
    registry.add(fresh);
    registry.claim('dev-1', old);
    registry.claim('dev-1', old);
    expect(old.superseded).toBe(0);
    registry.claim('dev-1', fresh);
    expect(old.superseded).toBe(1);
    expect(registry.forDevice('dev-1')).toBe(fresh);
    // The old one closing must not drop the new one's claim.
    registry.remove(old, 'dev-1');
    expect(registry.forDevice('dev-1')).toBe(fresh);
  });

  it('keeps sweeping when one session fails', () => {
    const errors: unknown[] = [];
    const registry = new SessionRegistry<FakeSession>(10, clock, 100, (err) => errors.push(err));
    const bad = new FakeSession('bad');
    bad.tick = () => {
      throw new Error('boom');
    };
    const good = new FakeSession('good');
    for (const s of [bad, good]) {
      registry.add(s);
      registry.schedule(s, 100);
    }
    now = 100;
    expect(registry.sweep()).toBe(2);
    expect(good.ticks).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('after a stall of the process, gives due sessions the stall as grace: a heartbeat read meanwhile keeps them', () => {
    const registry = new SessionRegistry<FakeSession>(10, clock, 100);
    const [live, silent] = ['live', 'silent'].map((id) => new FakeSession(id));
    for (const s of [live, silent]) {
      registry.add(s);
      registry.schedule(s, 3_000);
    }
    now = 63_000; // the process got no CPU for a minute
    expect(registry.sweep(60_000)).toBe(0);
    registry.schedule(live, now + 90_000); // its heartbeat, unread during the stall, is read now
    now = 66_000;
    expect(registry.sweep()).toBe(0);
    now = 123_000;
    expect(registry.sweep()).toBe(1);
    expect([live.ticks, silent.ticks]).toEqual([0, 1]);
  });

  it('the sweeper notices its own stall and does not time out sessions for it', async () => {
    const real = () => performance.now();
    const registry = new SessionRegistry<FakeSession>(10, real, 20, undefined, 200);
    const s = new FakeSession('s');
    registry.add(s);
    registry.schedule(s, real() + 100);
    registry.startSweeping();
    try {
      const until = real() + 400;
      while (real() < until); // the event loop stalls past the session's deadline
      await new Promise((r) => setTimeout(r, 60));
      expect(s.ticks).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
      expect(s.ticks).toBe(1); // nothing came: closed one stall later
    } finally {
      registry.stopSweeping();
    }
  });

  it('knows when it is full', () => {
    const registry = new SessionRegistry<FakeSession>(2, clock, 100);
    registry.add(new FakeSession('1'));
    expect(registry.full).toBe(false);
    registry.add(new FakeSession('2'));
    expect(registry.full).toBe(true);
  });
});
