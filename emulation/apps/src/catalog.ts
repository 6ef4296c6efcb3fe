import { DEFAULT_ENTRY_POINT, WASM_PAGE_BYTES, type QualifiedHostFunction } from './abi';
import { UnknownExampleApp } from './errors';

export const EXAMPLE_APP_NAMES = ['hello', 'hello-c', 'trap', 'memory-hog', 'busy-loop', 'counter', 'big-64k'] as const;
export type ExampleAppName = (typeof EXAMPLE_APP_NAMES)[number];

/** How a run ends on a host that follows the ABI (without a stop request). */
export type ExpectedEnd =
  | 'returns' // stopped, reason exited
  | 'runs_until_stopped' // sleeps in a loop forever
  | 'traps' // failed, reason trap
  | 'exceeds_memory_limit' // failed, reason memory_limit (trapped after growing to the limit)
  | 'exceeds_cpu_time_limit'; // failed, reason cpu_time_limit

export interface ExampleApp {
  readonly name: ExampleAppName;
  readonly language: 'wat' | 'c';
  readonly description: string;
  /** What the app logs and does, precisely enough to test against. */
  readonly behaviour: string;
  readonly expectedEnd: ExpectedEnd;
  readonly entryPoint: string;
  /** What the manifest's requiredHostFunctions must list: exactly the module's imports. */
  readonly requiredHostFunctions: readonly QualifiedHostFunction[];
  /** Smallest memory limit the module loads under (its initial memory). */
  readonly minMemoryBytes: number;
}

const HELLO_BEHAVIOUR =
  'Logs (info) config "greeting" or "Hello, Wasmbed!"; then, forever, logs (info) "temperature <sensor 0> m°C" and sleeps 1000 ms. ' +
  'With config "iterations" = N (decimal, 1..9 digits) it stops after N readings, logs "done after N readings" and returns; ' +
  'an "iterations" value that is not such a number logs a warning and runs forever.';

const HELLO_FUNCTIONS: readonly QualifiedHostFunction[] = ['wasmbed.config_get', 'wasmbed.log', 'wasmbed.sensor_read', 'wasmbed.sleep_ms'];
const COUNTER_FUNCTIONS: readonly QualifiedHostFunction[] = ['wasmbed.log', 'wasmbed.sleep_ms'];
const COUNTER_BEHAVIOUR = 'Logs (info) "count 1" .. "count 5", sleeping 10 ms after each, then returns (50 ms of sleep in all).';

const app = (a: Omit<ExampleApp, 'entryPoint' | 'minMemoryBytes'>): ExampleApp => ({
  ...a,
  entryPoint: DEFAULT_ENTRY_POINT,
  minMemoryBytes: WASM_PAGE_BYTES, // every example starts with one page
});

/** The example apps built into dist/wasm, in EXAMPLE_APP_NAMES order. */
export const EXAMPLE_APPS: readonly ExampleApp[] = [
  app({
    name: 'hello',
    language: 'wat',
    description: 'Long-running device app: greeting, then a temperature reading every second.',
    behaviour: HELLO_BEHAVIOUR,
    expectedEnd: 'runs_until_stopped',
    requiredHostFunctions: HELLO_FUNCTIONS,
  }),
  app({
    name: 'hello-c',
    language: 'c',
    description: 'The hello app written in C (clang --target=wasm32 -mcpu=mvp, no libc); logs exactly what hello logs.',
    behaviour: HELLO_BEHAVIOUR,
    expectedEnd: 'runs_until_stopped',
    requiredHostFunctions: HELLO_FUNCTIONS,
  }),
  app({
    name: 'trap',
    language: 'wat',
    description: 'Fails on purpose with a WebAssembly trap.',
    behaviour: 'Logs (info) "about to trap", sleeps 10 ms, then executes unreachable.',
    expectedEnd: 'traps',
    requiredHostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'],
  }),
  app({
    name: 'memory-hog',
    language: 'wat',
    description: 'Grows memory until the host memory limit refuses, then traps past the end.',
    behaviour:
      'Logs (info) "memory pages: N" for N = 1, 2, ... growing one page at a time until memory.grow returns -1; ' +
      'then logs (warn) "memory.grow refused at N pages; writing past the end" and stores a byte at N * 64 KiB, which traps ' +
      '(reported as memory_limit, since memory grew to the limit).',
    expectedEnd: 'exceeds_memory_limit',
    requiredHostFunctions: ['wasmbed.log'],
  }),
  app({
    name: 'busy-loop',
    language: 'wat',
    description: 'Spins forever without sleeping; only the CPU-time limit ends it.',
    behaviour: 'Logs (info) "spinning without sleeping", then loops forever without calling the host.',
    expectedEnd: 'exceeds_cpu_time_limit',
    requiredHostFunctions: ['wasmbed.log'],
  }),
  app({
    name: 'counter',
    language: 'wat',
    description: 'Small, deterministic app for fast tests.',
    behaviour: COUNTER_BEHAVIOUR,
    expectedEnd: 'returns',
    requiredHostFunctions: COUNTER_FUNCTIONS,
  }),
  app({
    name: 'big-64k',
    language: 'wat',
    description: 'The counter app padded to about 64 KiB with a reproducible data segment, for the deployment benchmark.',
    behaviour: COUNTER_BEHAVIOUR,
    expectedEnd: 'returns',
    requiredHostFunctions: COUNTER_FUNCTIONS,
  }),
];

export function isExampleAppName(name: string): name is ExampleAppName {
  return (EXAMPLE_APP_NAMES as readonly string[]).includes(name);
}

/** The catalog entry of an example app; UnknownExampleApp for any other name. */
export function exampleApp(name: string): ExampleApp {
  const found = EXAMPLE_APPS.find((a) => a.name === name);
  if (found === undefined) throw new UnknownExampleApp(name);
  return found;
}
