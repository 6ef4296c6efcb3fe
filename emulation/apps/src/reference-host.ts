import * as vm from 'node:vm';
import { DEFAULT_ENTRY_POINT, WASM_PAGE_BYTES } from './abi';
import { AppStopRequested, CpuTimeLimitExceeded } from './errors';
import type { MemoryRef } from './guest-memory';
import { EXITED, attributeMemoryLimit, outcomeOf, type AppOutcome } from './outcome';
import { prepareModule } from './prepare-module';
import { xorshift32 } from './random';
import { simulatedSensorValue } from './sensor-model';
import { createWasmbedImports, type LogRecord } from './wasmbed-imports';

export interface ReferenceHostOptions {
  /** Default "run". */
  readonly entryPoint?: string;
  /** The manifest's RuntimeConfig.env, read through config_get. */
  readonly config?: Readonly<Record<string, string>>;
  /** Reading of a channel at a time; default: the ABI's simulation model. */
  readonly sensor?: (channel: number, nowMs: number) => number;
  /** Default 1 MiB (16 pages). */
  readonly memoryLimitBytes?: number;
  /** Default 1000; 0 = none (an app that never returns then never lets the caller go). */
  readonly cpuTimeLimitMs?: number;
  /** Virtual time at which the host requests a stop, delivered when a sleep reaches it. */
  readonly stopAtMs?: number;
  readonly randomSeed?: number;
  /** Host functions offered (qualified names); default all of ABI v1. */
  readonly hostFunctions?: readonly string[];
}

export interface TimedLogRecord extends LogRecord {
  /** Virtual time of the call. */
  readonly atMs: number;
}

export interface ReferenceRun {
  readonly outcome: AppOutcome;
  readonly logs: readonly TimedLogRecord[];
  /** Keys the app asked config_get for, in call order. */
  readonly configReads: readonly string[];
  /** Durations passed to sleep_ms, in call order. */
  readonly sleeps: readonly number[];
  /** Virtual clock when the run ended. */
  readonly virtualMs: number;
  /** Memory size when the run ended; null when the module never loaded. */
  readonly memoryPages: number | null;
}

export const REFERENCE_DEFAULTS = { memoryLimitBytes: 16 * WASM_PAGE_BYTES, cpuTimeLimitMs: 1000 } as const;

// Calling the entry point from a vm script is what lets a timeout preempt a
// loop that never returns to JavaScript: V8 interrupts WebAssembly loops too.
const callEntry = new vm.Script('entry()');

function isVmTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/**
 * Runs an app synchronously under docs/app-abi.md: sleeps advance a virtual
 * clock instantly, so wall time spent in the call is the app's CPU time. The
 * executable specification of the ABI; the simulated device runs apps in a
 * worker with real time on top of the same createWasmbedImports.
 */
export function runWithReferenceHost(bytes: Uint8Array, options: ReferenceHostOptions = {}): ReferenceRun {
  const logs: TimedLogRecord[] = [];
  const configReads: string[] = [];
  const sleeps: number[] = [];
  const memory: MemoryRef = { current: null };
  const random = xorshift32(options.randomSeed);
  const sensor = options.sensor ?? simulatedSensorValue;
  const cpuTimeLimitMs = options.cpuTimeLimitMs ?? REFERENCE_DEFAULTS.cpuTimeLimitMs;
  let clock = 0;
  let pages: { initial: number; limit: number } | null = null;

  const memoryPages = (): number | null => (memory.current === null ? null : memory.current.buffer.byteLength / WASM_PAGE_BYTES);
  const finish = (outcome: AppOutcome): ReferenceRun => ({
    outcome,
    logs,
    configReads,
    sleeps,
    virtualMs: clock,
    memoryPages: memoryPages(),
  });

  const imports = createWasmbedImports(memory, {
    log: (record) => logs.push({ ...record, atMs: clock }),
    nowMs: () => clock,
    sleepMs: (ms) => {
      sleeps.push(ms);
      if (options.stopAtMs !== undefined && clock + ms >= options.stopAtMs) {
        clock = Math.max(clock, options.stopAtMs);
        throw new AppStopRequested();
      }
      clock += ms;
    },
    config: (key) => {
      configReads.push(key);
      const config = options.config ?? {};
      return Object.prototype.hasOwnProperty.call(config, key) ? config[key] : undefined;
    },
    sensorRead: (channel) => sensor(channel, clock),
    randomU32: random,
  });

  try {
    const entryPoint = options.entryPoint ?? DEFAULT_ENTRY_POINT;
    const prepared = prepareModule(bytes, {
      entryPoint,
      memoryLimitBytes: options.memoryLimitBytes ?? REFERENCE_DEFAULTS.memoryLimitBytes,
      hostFunctions: options.hostFunctions,
    });
    pages = { initial: prepared.info.memories[0].initialPages, limit: prepared.memoryLimitPages };
    const instance = new WebAssembly.Instance(prepared.module, imports);
    memory.current = instance.exports.memory as WebAssembly.Memory;
    const entry = instance.exports[entryPoint] as () => void;
    if (cpuTimeLimitMs > 0) {
      try {
        callEntry.runInNewContext({ entry }, { timeout: cpuTimeLimitMs });
      } catch (err) {
        if (isVmTimeout(err)) throw new CpuTimeLimitExceeded(cpuTimeLimitMs);
        throw err;
      }
    } else {
      entry();
    }
    return finish(EXITED);
  } catch (err) {
    const outcome = outcomeOf(err);
    const currentPages = memoryPages();
    if (pages === null || currentPages === null) return finish(outcome);
    return finish(attributeMemoryLimit(outcome, { currentPages, initialPages: pages.initial, limitPages: pages.limit }));
  }
}
