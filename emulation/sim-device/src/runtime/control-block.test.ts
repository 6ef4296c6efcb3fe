import { ControlBlock } from './control-block';

describe('ControlBlock', () => {
  it('counts guest execution between enter and leave, including a stretch in progress, never sleeps', () => {
    const block = new ControlBlock();
    block.enterGuest(1_000_000n);
    block.leaveGuest(3_000_000n); // 2 ms executing
    // ... 500 ms asleep: not counted ...
    block.enterGuest(503_000_000n);
    expect(block.executedMs(504_500_000n)).toBe(3.5);
    block.leaveGuest(505_000_000n);
    expect(block.executedMs(900_000_000n)).toBe(4);
  });

  it('is shared through its buffer, and a stop ends a sleep at once', () => {
    const block = new ControlBlock();
    const view = new ControlBlock(block.buffer);
    expect(view.stopRequested).toBe(false);
    block.requestStop();
    expect(view.stopRequested).toBe(true);
    // Already stopped: a one-minute sleep returns immediately, reporting it was cut short.
    expect(view.sleep(60_000)).toBe(false);
  });
});
