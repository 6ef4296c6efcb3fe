// Entry point of an app worker: instantiates one compiled module with the ABI's
// imports and calls its entry point; one worker per run of one app.
import { parentPort, workerData } from 'node:worker_threads';
import {
  AppStopRequested,
  WASM_PAGE_BYTES,
  createWasmbedImports,
  outcomeOf,
  simulatedSensorValue,
  xorshift32,
  type AppOutcome,
  type MemoryRef,
} from '@wasmbed/example-apps';
import type { AppWorkerData, AppWorkerMessage } from './app-worker-protocol';
import { ControlBlock } from './control-block';

function post(message: AppWorkerMessage): void {
  parentPort?.postMessage(message);
}

function run(data: AppWorkerData): AppOutcome {
  const control = new ControlBlock(data.control);
  const memory: MemoryRef = { current: null };
  const random = xorshift32(data.randomSeed);
  const startedAt = performance.now();
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
    sensorRead: (channel) => simulatedSensorValue(channel, nowMs() + data.sensorPhaseMs),
    randomU32: random,
  });

  control.enterGuest();
  try {
    const instance = new WebAssembly.Instance(data.module, imports);
    memory.current = instance.exports.memory as WebAssembly.Memory;
    post({ type: 'running' });
    (instance.exports[data.entryPoint] as () => void)();
    return { state: 'stopped', reason: 'exited' };
  } catch (err) {
    const outcome = outcomeOf(err);
    return atMemoryLimit(outcome, memory, data.memoryLimitPages)
      ? { state: 'failed', reason: 'memory_limit', message: `${outcome.state === 'failed' ? outcome.message : ''} (memory at its limit of ${data.memoryLimitPages} pages)` }
      : outcome;
  } finally {
    control.leaveGuest();
  }
}

/** A trap with memory grown to the limit: the app ran out of memory the host would not give it. */
function atMemoryLimit(outcome: AppOutcome, memory: MemoryRef, limitPages: number): boolean {
  return (
    outcome.state === 'failed' &&
    outcome.reason === 'trap' &&
    memory.current !== null &&
    memory.current.buffer.byteLength >= limitPages * WASM_PAGE_BYTES
  );
}

post({ type: 'outcome', outcome: run(workerData as AppWorkerData) });
