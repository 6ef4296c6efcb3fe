import {
  REFERENCE_DEFAULTS,
  createWasmbedImports,
  loadExampleApp,
  runWithReferenceHost,
  type MemoryRef,
  type ReferenceHostOptions,
  type ReferenceRun,
} from './index';
import { I32, minimalApp } from './test-support/wasm-builder';

const run = (name: string, options?: ReferenceHostOptions): ReferenceRun => runWithReferenceHost(loadExampleApp(name), options);
const messages = (r: ReferenceRun): string[] => r.logs.map((l) => `${l.level} ${l.message}`);

describe('hello (reference host)', () => {
  it('greets, reads the temperature every second and returns after "iterations" readings', () => {
    const r = run('hello', { config: { iterations: '3' } });
    expect(r.outcome).toEqual({ state: 'stopped', reason: 'exited' });
    expect(r.configReads).toEqual(['greeting', 'iterations']);
    // Simulation model, channel 0: 22 °C - 3 °C at t = 0, rising 200 m°C per second.
    expect(messages(r)).toEqual([
      'info Hello, Wasmbed!',
      'info temperature 19000 m°C',
      'info temperature 19200 m°C',
      'info temperature 19400 m°C',
      'info done after 3 readings',
    ]);
    expect(r.logs.map((l) => l.atMs)).toEqual([0, 0, 1000, 2000, 3000]);
    expect(r.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('logs the configured greeting, byte for byte', () => {
    const r = run('hello', { config: { greeting: 'Grüß dich, 世界', iterations: '0' } });
    expect(messages(r)).toEqual(['info Grüß dich, 世界', 'info done after 0 readings']);
  });

  it('falls back to the default greeting when the value does not fit its 64-byte buffer', () => {
    const r = run('hello', { config: { greeting: 'x'.repeat(65), iterations: '0' } });
    expect(messages(r)[0]).toBe('info Hello, Wasmbed!');
    expect(messages(run('hello', { config: { greeting: 'y'.repeat(64), iterations: '0' } }))[0]).toBe(`info ${'y'.repeat(64)}`);
  });

  it('runs until stopped without "iterations"', () => {
    const r = run('hello', { stopAtMs: 10_500 });
    expect(r.outcome).toEqual({ state: 'stopped', reason: 'stop_requested' });
    expect(r.logs.filter((l) => l.message.startsWith('temperature'))).toHaveLength(11);
    expect(r.virtualMs).toBe(10_500);
  });

  it('warns about an "iterations" value that is not a count, then runs forever', () => {
    for (const iterations of ['abc', '-1', '1234567890', '']) {
      const r = run('hello', { config: { iterations }, stopAtMs: 2_500 });
      expect(messages(r)[1]).toBe('warn iterations is not a number: running forever');
      expect(r.outcome).toEqual({ state: 'stopped', reason: 'stop_requested' });
    }
  });

  it('formats any sensor value, negative ones included', () => {
    const values = [-5, 0, 2_147_483_647, -2_147_483_648];
    const r = run('hello', { config: { iterations: '4' }, sensor: (channel, t) => (channel === 0 ? values[t / 1000] : 0) });
    expect(messages(r).slice(1, 5)).toEqual(values.map((v) => `info temperature ${v} m°C`));
  });
});

describe('hello-c (reference host)', () => {
  it.each([
    [{ iterations: '3' }],
    [{ greeting: 'Hi from C', iterations: '2' }],
    [{ greeting: 'z'.repeat(80), iterations: 'x' }],
  ])('behaves exactly like the WAT hello with config %j', (config) => {
    const options = { config, stopAtMs: 5_000, sensor: (_c: number, t: number) => 21_000 - t };
    expect(run('hello-c', options)).toEqual(run('hello', options));
  });
});

describe('counter (reference host)', () => {
  it('logs 1 to 5 with 10 ms sleeps and returns', () => {
    const r = run('counter');
    expect(r.outcome).toEqual({ state: 'stopped', reason: 'exited' });
    expect(messages(r)).toEqual([1, 2, 3, 4, 5].map((n) => `info count ${n}`));
    expect(r.logs.map((l) => l.atMs)).toEqual([0, 10, 20, 30, 40]);
    expect(r.virtualMs).toBe(50);
  });
});

describe('trap (reference host)', () => {
  it('fails with reason "trap" after logging', () => {
    const r = run('trap');
    expect(messages(r)).toEqual(['info about to trap']);
    expect(r.outcome).toMatchObject({ state: 'failed', reason: 'trap', message: expect.stringMatching(/unreachable/) });
    expect(r.virtualMs).toBe(10);
  });

  it('throws a WebAssembly.RuntimeError out of run when instantiated directly', () => {
    const memory: MemoryRef = { current: null };
    const imports = createWasmbedImports(memory, {
      log: () => undefined,
      nowMs: () => 0,
      sleepMs: () => undefined,
      config: () => undefined,
      sensorRead: () => 0,
      randomU32: () => 0,
    });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(loadExampleApp('trap')), imports);
    memory.current = instance.exports.memory as WebAssembly.Memory;
    expect(() => (instance.exports.run as () => void)()).toThrow(WebAssembly.RuntimeError);
  });
});

describe('memory-hog (reference host)', () => {
  it('grows page by page until memory.grow returns -1 at the limit, then fails with memory_limit', () => {
    const r = run('memory-hog', { memoryLimitBytes: 4 * 65_536 + 100 });
    expect(messages(r)).toEqual([
      'info memory pages: 1',
      'info memory pages: 2',
      'info memory pages: 3',
      'info memory pages: 4',
      'warn memory.grow refused at 4 pages; writing past the end',
    ]);
    expect(r.outcome).toEqual({
      state: 'failed',
      reason: 'memory_limit',
      message: expect.stringMatching(/out of bounds.* \(memory at its limit of 4 pages\)$/),
    });
    expect(r.memoryPages).toBe(4);
  });

  it('stops at the default limit of 1 MiB', () => {
    const r = run('memory-hog');
    expect(r.memoryPages).toBe(REFERENCE_DEFAULTS.memoryLimitBytes / 65_536);
    expect(r.outcome).toMatchObject({ state: 'failed', reason: 'memory_limit' });
  });
});

describe('busy-loop (reference host)', () => {
  it('is terminated by the CPU-time limit', () => {
    const started = Date.now();
    const r = run('busy-loop', { cpuTimeLimitMs: 200 });
    const elapsed = Date.now() - started;
    expect(r.outcome).toEqual({ state: 'failed', reason: 'cpu_time_limit', message: 'CPU-time limit of 200 ms exceeded' });
    expect(messages(r)).toEqual(['info spinning without sleeping']);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
  });
});

describe('load failures (reference host)', () => {
  it('reports a host function the host does not offer', () => {
    const r = run('hello', { hostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'] });
    expect(r.outcome).toEqual({
      state: 'failed',
      reason: 'missing_host_function',
      message: 'host does not offer wasmbed.config_get, wasmbed.sensor_read',
    });
    expect(r.logs).toEqual([]);
    expect(r.memoryPages).toBeNull();
  });

  it('reports a missing entry point as an invalid module', () => {
    expect(run('counter', { entryPoint: 'main' }).outcome).toMatchObject({ state: 'failed', reason: 'invalid_module' });
  });

  it('fails an app whose host call breaks the ABI, with reason "trap"', () => {
    // run: log(level 7, 0, 0)
    const bytes = minimalApp({
      types: [[[I32, I32, I32], []], [[], []]],
      imports: [{ module: 'wasmbed', name: 'log', type: 0 }],
      funcs: [{ type: 1, body: [0x41, 7, 0x41, 0, 0x41, 0, 0x10, 0] }],
      exports: [
        { name: 'memory', kind: 'memory', index: 0 },
        { name: 'run', kind: 'func', index: 1 },
      ],
    });
    expect(runWithReferenceHost(bytes).outcome).toEqual({ state: 'failed', reason: 'trap', message: 'log: level 7 is not 0..3' });
  });
});
