import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeApiServerStartError } from './kube-errors';

/** A long-running child whose stdout and stderr go to a log file. */
export interface LoggedProcess {
  readonly name: string;
  readonly logPath: string;
  /** True until the process exited. */
  readonly running: boolean;
  /** Resolves with a description ("code 1", "signal SIGKILL") once the process exited. */
  readonly exited: Promise<string>;
  /** The last lines of its log, headed by its name. */
  logTail(lines?: number): string;
  /** SIGTERM, SIGKILL after timeoutMs; resolves once it exited. Idempotent. */
  stop(timeoutMs: number): Promise<void>;
}

// Killed when the test process exits. Inside jest's sandbox `process` listeners may
// not see the real exit, so stop() in afterAll is what cleans up.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killOnExit(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => live.forEach((c) => c.kill('SIGKILL')));
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

function tailOf(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function startLoggedProcess(name: string, binary: string, args: readonly string[], logPath: string): LoggedProcess {
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  killOnExit(child);
  let running = true;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => {
      running = false;
      resolve(`failed to start: ${err.message}`);
    });
    child.once('exit', (code, signal) => {
      running = false;
      resolve(signal ? `signal ${signal}` : `code ${code}`);
    });
  });

  return {
    name,
    logPath,
    get running() {
      return running;
    },
    exited,
    logTail: (lines = 40) => `--- ${name} log (${logPath}, last ${lines} lines) ---\n${tailOf(logPath, lines)}`,
    async stop(timeoutMs) {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Resolves when `ready` returns true. Rejects with KubeApiServerStartError if the
 * process dies or the time runs out; the error carries the logs of `proc` and `related`.
 */
export async function waitUntilReady(
  proc: LoggedProcess,
  ready: () => Promise<boolean>,
  options: { timeoutMs: number; related?: readonly LoggedProcess[]; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let died: string | undefined;
  void proc.exited.then((how) => (died = how));
  const fail = (why: string): KubeApiServerStartError =>
    new KubeApiServerStartError(`${proc.name} ${why}`, [proc, ...(options.related ?? [])].map((p) => p.logTail()).join('\n'));
  while (Date.now() < deadline) {
    if (died !== undefined) throw fail(`exited (${died})`);
    if (await ready().catch(() => false)) return;
    await sleep(options.intervalMs ?? 100);
  }
  throw fail(`not ready after ${options.timeoutMs} ms`);
}

/** The bind failed because another process took the free port first (freePort's race). */
export function lostPortRace(err: unknown): boolean {
  return err instanceof KubeApiServerStartError && /address already in use/i.test(err.logTail);
}
