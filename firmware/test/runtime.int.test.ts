import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  WASM_PAGE_BYTES,
  loadExampleApp,
  runWithReferenceHost,
  simulatedSensorValue,
  type AppOutcome,
  type ReferenceHostOptions,
} from '@wasmbed/example-apps';
import { BOARDS, QemuConsole } from './qemu-console';

// The firmware's WebAssembly runtime (WAMR + the Wasmbed host ABI, firmware/runtime)
// against the ABI's executable specification: the reference host of
// @wasmbed/example-apps on Node's WebAssembly. The host build of the runtime
// (run_app) runs the same modules with the same options; the QEMU boards run the
// demo image, which embeds example apps and the MVP instruction test.

const run = promisify(execFile);
const FIRMWARE = join(__dirname, '..');
const HOST = join(FIRMWARE, 'build', 'host');
const WAT = join(HOST, 'wat');
const APPS = join(FIRMWARE, '..', 'emulation', 'apps', 'dist', 'wasm');

let build: { stdout: string; stderr: string };

beforeAll(async () => {
  build = await run(
    'make',
    ['-C', FIRMWARE, '-j2', 'runtime-host-test', ...BOARDS.map((board) => `build/${board.name}/wasmbed-demo.elf`)],
    { maxBuffer: 64 * 1024 * 1024, timeout: 900_000 },
  );
}, 900_000);

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly truncated: boolean;
  readonly atMs: number;
}

interface FirmwareRun {
  readonly logs: LogLine[];
  readonly outcome: AppOutcome;
  readonly memoryPages: number;
  readonly cpuMs: number;
  readonly runMs: number;
}

type RunOptions = ReferenceHostOptions & { readonly virtualClock?: boolean };

/** One run on the host build of the firmware's runtime (ASan/UBSan), options as the reference host takes them. */
async function runOnFirmware(file: string, options: RunOptions): Promise<FirmwareRun> {
  const args: string[] = [];
  if (options.virtualClock ?? true) args.push('--virtual-clock');
  if (options.entryPoint !== undefined) args.push('--entry', options.entryPoint);
  if (options.memoryLimitBytes !== undefined) args.push('--memory-limit', String(options.memoryLimitBytes));
  args.push('--cpu-limit', String(options.cpuTimeLimitMs ?? 1000));
  if (options.stopAtMs !== undefined) args.push('--stop-at-ms', String(options.stopAtMs));
  if (options.randomSeed !== undefined) args.push('--random-seed', String(options.randomSeed));
  if (options.hostFunctions !== undefined) args.push('--host-functions', options.hostFunctions.join(','));
  for (const [key, value] of Object.entries(options.config ?? {})) args.push('--env', `${key}=${value}`);
  const { stdout } = await run(join(HOST, 'run_app'), [...args, file], { maxBuffer: 16 * 1024 * 1024 });
  const logs: LogLine[] = [];
  let end: Omit<FirmwareRun, 'logs'> | undefined;
  for (const line of stdout.trim().split('\n')) {
    const record = JSON.parse(line) as { log?: LogLine } & Partial<Omit<FirmwareRun, 'logs'>>;
    if (record.log) logs.push(record.log);
    else end = record as Omit<FirmwareRun, 'logs'>;
  }
  if (!end) throw new Error(`run_app printed no outcome:\n${stdout}`);
  return { logs, ...end };
}

// Host traps are the runtime's own words and must match; the interpreter's own
// trap messages ("unreachable", "out of bounds memory access") are not V8's.
const HOST_TRAP = /^(log|sleep_ms|config_get|now_ms|sensor_read|random_u32): /;

function comparableOutcome(outcome: AppOutcome): AppOutcome {
  if (outcome.state === 'failed' && !HOST_TRAP.test(outcome.message)) {
    if (outcome.reason === 'trap') return { ...outcome, message: '<trap>' };
    if (outcome.reason === 'memory_limit') return { ...outcome, message: outcome.message.replace(/^.*(?= \(memory at its limit)/, '<trap>') };
  }
  return outcome;
}

/** Runs a module on both hosts and expects the same logs and the same outcome. */
async function expectSameAsReference(file: string, options: RunOptions = {}): Promise<FirmwareRun> {
  const bytes = new Uint8Array(await readFile(file));
  const reference = runWithReferenceHost(bytes, options);
  const firmware = await runOnFirmware(file, options);
  expect(firmware.logs).toEqual(reference.logs.map(({ level, message, truncated, atMs }) => ({ level, message, truncated, atMs })));
  expect(comparableOutcome(firmware.outcome)).toEqual(comparableOutcome(reference.outcome));
  if (reference.memoryPages !== null && firmware.outcome.state === 'stopped') expect(firmware.memoryPages).toBe(reference.memoryPages);
  return firmware;
}

describe('runtime host build', () => {
  it('passes its unit tests and the mutated-module fuzzing under ASan/UBSan', () => {
    expect(build.stdout).toMatch(/runtime_test: \d+ checks passed, 0 failed/);
    expect(build.stdout).toMatch(/runtime_fuzz: \d+ truncations \+ \d+ mutations .*\nruntime_fuzz: \d+ checks passed, 0 failed/);
  });

  it.each([
    ['hello', { config: { greeting: 'Grüezi', iterations: '3' } }],
    ['hello', { config: { iterations: 'many' }, stopAtMs: 2500 }],
    ['hello-c', { config: { greeting: 'Grüezi', iterations: '3' } }],
    ['counter', {}],
    ['trap', {}],
    ['memory-hog', { memoryLimitBytes: 4 * WASM_PAGE_BYTES }],
    ['big-64k', {}],
  ] as const)('runs the example app %s like the reference host (%j)', async (name, options) => {
    loadExampleApp(name); // a clear error when emulation/apps is not built
    await expectSameAsReference(join(APPS, `${name}.wasm`), options);
  });

  it('ends busy-loop at its CPU-time limit, on real time', async () => {
    const firmware = await expectSameAsReference(join(APPS, 'busy-loop.wasm'), { cpuTimeLimitMs: 100, virtualClock: false });
    expect(firmware.outcome).toEqual({ state: 'failed', reason: 'cpu_time_limit', message: 'CPU-time limit of 100 ms exceeded' });
    // Nominally a tick late; the margin is for a loaded machine pausing the process.
    expect(firmware.cpuMs).toBeGreaterThanOrEqual(100);
    expect(firmware.cpuMs).toBeLessThanOrEqual(400);
  });

  it.each([
    ['config', { config: { greeting: 'hello', empty: '' } }],
    ['logs', {}],
    ['devices', { randomSeed: 12345 }],
    ['trap_log_level', {}],
    ['trap_log_range', {}],
    ['trap_log_wrap', {}],
    ['trap_sleep', {}],
    ['trap_config_range', {}],
    ['trap_div', {}],
    ['trap_overflow', {}],
    ['trap_convert', {}],
    ['trap_stack', {}],
    ['trap_indirect_type', {}],
    ['trap_indirect_null', {}],
    ['trap_oob_load', {}],
  ] as const)('gives the host functions\u2019 results and traps of the reference host: %s', async (entryPoint, options) => {
    await expectSameAsReference(join(WAT, 'abi-edges.wasm'), { entryPoint, ...options });
  });

  it.each([
    ['post-mvp-sign-ext', {}],
    ['post-mvp-bulk', {}],
    ['start', {}],
    ['import-env', {}],
    ['import-memory', {}],
    ['bad-signature', {}],
    ['no-memory-export', {}],
    ['entry-type', {}],
    ['big-memory', {}],
    ['segment-oob', {}],
    ['abi-edges', { hostFunctions: ['wasmbed.config_get', 'wasmbed.log', 'wasmbed.now_ms', 'wasmbed.sensor_read', 'wasmbed.sleep_ms'] }],
    ['abi-edges', { entryPoint: 'main' }],
  ] as const)('refuses %s for the reference host\u2019s reason, with its message (%j)', async (name, options) => {
    const firmware = await expectSameAsReference(join(WAT, `${name}.wasm`), options);
    expect(firmware.outcome.state).toBe('failed');
  });

  it('computes every MVP instruction as Node does', async () => {
    const firmware = await expectSameAsReference(join(WAT, 'mvp-ops.wasm'), {});
    expect(firmware.logs.length).toBeGreaterThan(120);
    expect(firmware.outcome).toEqual({ state: 'stopped', reason: 'exited' });
  });
});

/** The instruction hashes Node computes for mvp-ops, one "<name> <hash>" line each. */
async function referenceOps(): Promise<string[]> {
  const reference = runWithReferenceHost(new Uint8Array(await readFile(join(WAT, 'mvp-ops.wasm'))));
  expect(reference.outcome).toEqual({ state: 'stopped', reason: 'exited' });
  return reference.logs.map((log) => log.message);
}

describe.each(BOARDS)('runtime demo on QEMU $name', (board) => {
  let qemu: QemuConsole | undefined;
  let output: string;

  beforeAll(async () => {
    qemu = await QemuConsole.boot(board, join(FIRMWARE, 'build', board.name, 'wasmbed-demo.elf'));
    await qemu.waitFor(/demo done in \d+ ms/, 120_000);
    // The console carries UTF-8 (°C); QemuConsole keeps bytes as latin1.
    output = Buffer.from(qemu.output, 'latin1').toString('utf8').replace(/\r\n/g, '\n');
  }, 180_000);

  afterAll(async () => {
    await qemu?.stop();
  });

  const outcomeLine = (label: string) => output.match(new RegExp(`^app ${label}: (stopped|failed) \\((\\w+)\\)(?:: (.*))?; cpu (\\d+) ms, run (\\d+) ms, memory (\\d+) pages$`, 'm'));

  it('runs hello: its log on the console, the simulated sensor at the logged times', () => {
    expect(output).toContain(`runtime=wamr`);
    const lines = [...output.matchAll(/^\[hello \+(\d+)ms\] info: (.*)$/gm)].map((m) => ({ atMs: Number(m[1]), text: m[2] }));
    expect(lines[0]?.text).toBe('Hello from the MCU!');
    const readings = lines.flatMap((line, i) => {
      const value = /^temperature (-?\d+) m°C$/.exec(line.text);
      return value ? [{ value: Number(value[1]), after: lines[i - 1].atMs, at: line.atMs }] : [];
    });
    expect(readings).toHaveLength(3);
    // sensor_read runs between the previous log call and this one (the app
    // formats the number in between), and the wave rises for 30 s: the value
    // lies between the model's at those two times.
    // ±1 ms: the log stamp and the sensor read each round the run clock to whole ms (a 1 ms gap was seen under load).
    for (const { value, after, at } of readings) {
      expect(value).toBeGreaterThanOrEqual(simulatedSensorValue(0, Math.max(0, after - 1)));
      expect(value).toBeLessThanOrEqual(simulatedSensorValue(0, at + 1));
    }
    expect(readings[2].at - readings[0].at).toBeGreaterThanOrEqual(2000);
    expect(lines.at(-1)?.text).toBe('done after 3 readings');
    expect(outcomeLine('hello')?.slice(1, 3)).toEqual(['stopped', 'exited']);
  });

  it('ends counter, trap and memory-hog as the ABI says', () => {
    expect(output.match(/^\[counter \+\d+ms\] info: count \d$/gm)).toHaveLength(5);
    expect(outcomeLine('counter')?.slice(1, 3)).toEqual(['stopped', 'exited']);
    expect(outcomeLine('trap')?.slice(1, 4)).toEqual(['failed', 'trap', 'unreachable']);
    const hog = outcomeLine('memory-hog');
    expect(hog?.slice(1, 3)).toEqual(['failed', 'memory_limit']);
    expect(hog?.[3]).toMatch(/ \(memory at its limit of 2 pages\)$/);
    expect(hog?.[6]).toBe('2');
  });

  it('terminates busy-loop from the timer at its CPU-time limit', () => {
    const busy = outcomeLine('busy-loop');
    expect(busy?.slice(1, 4)).toEqual(['failed', 'cpu_time_limit', 'CPU-time limit of 200 ms exceeded']);
    // Nominally within a tick or two (1-3 ms). The board's clock follows the
    // host's, so a QEMU process descheduled on a loaded machine adds its pause:
    // the bound only says that the timer, not something else, ended the run.
    expect(Number(busy?.[4])).toBeGreaterThanOrEqual(200);
    expect(Number(busy?.[4])).toBeLessThan(700);
  });

  it('refuses an undeclared host function and a truncated module before running them', () => {
    expect(outcomeLine('hello-undeclared-sensor')?.slice(1, 4)).toEqual([
      'failed',
      'missing_host_function',
      'host does not offer wasmbed.sensor_read',
    ]);
    expect(outcomeLine('hello-truncated')?.slice(1, 3)).toEqual(['failed', 'invalid_module']);
    expect(output).not.toMatch(/^\[hello-(undeclared-sensor|truncated) /m);
  });

  it('computes every MVP instruction as Node does', async () => {
    const ops = [...output.matchAll(/^\[mvp-ops \+\d+ms\] info: (.*)$/gm)].map((m) => m[1]);
    expect(ops).toEqual(await referenceOps());
    expect(outcomeLine('mvp-ops')?.slice(1, 3)).toEqual(['stopped', 'exited']);
  });
});
