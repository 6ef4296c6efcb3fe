import { DeviceClock } from './device-clock';

describe('DeviceClock', () => {
  it('uses the host clock until synced, then the gateway time advanced by the monotonic timer', () => {
    let mono = 1_000.4;
    const clock = new DeviceClock(() => mono, () => 42);
    expect(clock.synced).toBe(false);
    expect(clock.nowMs()).toBe(42);
    clock.sync(1_700_000_000_000);
    mono += 250.7;
    expect(clock.nowMs()).toBe(1_700_000_000_250);
    clock.sync(1_700_000_001_000); // a HeartbeatAck corrects drift
    expect(clock.nowMs()).toBe(1_700_000_001_000);
  });
});
