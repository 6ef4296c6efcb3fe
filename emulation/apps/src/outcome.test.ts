import { AppStopRequested, CpuTimeLimitExceeded, HostTrap, MemoryLimitExceeded, attributeMemoryLimit, outcomeOf, type AppOutcome } from './index';

describe('outcomeOf', () => {
  it('maps what ends a run to its outcome', () => {
    expect(outcomeOf(new AppStopRequested())).toEqual({ state: 'stopped', reason: 'stop_requested' });
    expect(outcomeOf(new MemoryLimitExceeded(3, 2))).toEqual({
      state: 'failed',
      reason: 'memory_limit',
      message: 'module needs 3 pages of memory initially, the limit is 2',
    });
    expect(outcomeOf(new CpuTimeLimitExceeded(50))).toMatchObject({ state: 'failed', reason: 'cpu_time_limit' });
    expect(outcomeOf(new HostTrap('log', 'bad'))).toEqual({ state: 'failed', reason: 'trap', message: 'log: bad' });
    expect(outcomeOf(new WebAssembly.RuntimeError('unreachable'))).toEqual({ state: 'failed', reason: 'trap', message: 'unreachable' });
  });

  it('treats call-stack exhaustion as a trap', () => {
    const bytes = new Uint8Array([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // header
      1, 4, 1, 0x60, 0, 0, // type () -> ()
      3, 2, 1, 0, // one function
      7, 5, 1, 1, 0x66, 0, 0, // export "f"
      10, 6, 1, 4, 0, 0x10, 0, 0x0b, // f: call f
    ]);
    const f = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f as () => void;
    let thrown: unknown;
    try {
      f();
    } catch (err) {
      thrown = err;
    }
    expect(outcomeOf(thrown)).toMatchObject({ state: 'failed', reason: 'trap' });
  });

  it('rethrows anything else: a host bug is not an app failure', () => {
    const bug = new TypeError('oops');
    expect(() => outcomeOf(bug)).toThrow(bug);
    expect(() => outcomeOf(new RangeError('Invalid array length'))).toThrow(RangeError);
  });
});

describe('attributeMemoryLimit', () => {
  const trap: AppOutcome = { state: 'failed', reason: 'trap', message: 'memory access out of bounds' };

  it('reports a trap after growing to the limit as memory_limit', () => {
    expect(attributeMemoryLimit(trap, { currentPages: 4, initialPages: 1, limitPages: 4 })).toEqual({
      state: 'failed',
      reason: 'memory_limit',
      message: 'memory access out of bounds (memory at its limit of 4 pages)',
    });
  });

  it('keeps a trap below the limit, or without growth, and every other outcome', () => {
    expect(attributeMemoryLimit(trap, { currentPages: 3, initialPages: 1, limitPages: 4 })).toBe(trap);
    expect(attributeMemoryLimit(trap, { currentPages: 1, initialPages: 1, limitPages: 1 })).toBe(trap);
    const exited: AppOutcome = { state: 'stopped', reason: 'exited' };
    expect(attributeMemoryLimit(exited, { currentPages: 4, initialPages: 1, limitPages: 4 })).toBe(exited);
  });
});
