// Entry point of an app worker: for each `run` message, instantiates the compiled
// module with the ABI's imports and calls its entry point, then reports the outcome.
// One run at a time; the worker is reused for a later run (of any app) only after a
// run that ended by itself: a terminated worker is gone (see app-worker-pool.ts).
import { parentPort } from 'node:worker_threads';
import {
  AppStopRequested,
  WASM_PAGE_BYTES,
  attributeMemoryLimit,
  createWasmbedImports,
  outcomeOf,
  simulatedSensorValue,
  xorshift32,
  type AppOutcome,
  type MemoryRef,
} from '@wasmbed/example-apps';
import type { AppWorkerData, AppWorkerMessage, AppWorkerRequest } from './app-worker-protocol';
import { ControlBlock } from './control-block';

function post(message: AppWorkerMessage): void {
  parentPort?.postMessage(message);
}

function run(data: AppWorkerData): AppOutcome {
  const control = new ControlBlock(data.control);
  const memory: MemoryRef = { current: null };
  const random = xorshift32(data.randomSeed);
  let startedAt = performance.now();
  const nowMs = (): number => performance.now() - startedAt;

  const imports = createWasmbedImports(memory, {
    log: (record) => post({ type: 'log', record }),
    nowMs,
    sleepMs: (ms) => {
      control.leaveGuest();
      const sleptFully = control.sleep(ms);
      control.enterGuest();
      if (!sleptFully || control.stopRequested) throw new AppStopRequested();
    },
    config: (key) => (Object.prototype.hasOwnProperty.call(data.config, key) ? data.config[key] : undefined),
    // Simulated devices read the ABI's sensor model exactly (docs/app-abi.md §2.5).
    sensorRead: (channel) => simulatedSensorValue(channel, nowMs()),
    randomU32: random,
  });

  control.enterGuest();
  try {
    const instance = new WebAssembly.Instance(data.module, imports);
    memory.current = instance.exports.memory as WebAssembly.Memory;
    post({ type: 'running' });
    startedAt = performance.now(); // now_ms is 0 just before the entry point is called
    (instance.exports[data.entryPoint] as () => void)();
    return { state: 'stopped', reason: 'exited' };
  } catch (err) {
    const currentPages = memory.current === null ? 0 : memory.current.buffer.byteLength / WASM_PAGE_BYTES;
    return attributeMemoryLimit(outcomeOf(err), { currentPages, initialPages: data.memoryInitialPages, limitPages: data.memoryLimitPages });
  } finally {
    control.leaveGuest();
  }
}

// Everything a run touches (imports, memory, random state) is made inside run(): nothing
// of one app's run is reachable from the next one's.
parentPort?.on('message', (request: AppWorkerRequest) => {
  post({ type: 'outcome', outcome: run(request.data) });
});
