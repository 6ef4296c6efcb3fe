import type { ChildProcess } from 'node:child_process';

// Node cannot raise its own rlimits: a shell raises the soft limit to the hard one, then
// becomes node (exec keeps the pid, so /proc readings and signals reach node itself).
const RAISE_FILE_LIMIT = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"';

/**
 * How to start `node <args>` with the open-files soft limit raised to the hard
 * limit: every session is a descriptor in the server and in a load generator, and
 * a soft limit of 1,024 is a common default far below 10,000 sessions.
 */
export function nodeWithRaisedFileLimit(args: readonly string[]): { command: string; args: string[] } {
  return { command: '/bin/sh', args: ['-c', RAISE_FILE_LIMIT, process.execPath, ...args] };
}

/** fork() options doing the same for a forked child (its IPC channel survives the exec). */
export function forkWithRaisedFileLimit(): { execPath: string; execArgv: string[] } {
  return { execPath: '/bin/sh', execArgv: ['-c', RAISE_FILE_LIMIT, process.execPath] };
}

// Every process this bench started and that is still running: killed if the bench
// exits any other way than through its own cleanup (an exception, Ctrl-C).
const live = new Set<ChildProcess>();
let hooked = false;

function killLive(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** Registers a child so that it never outlives the bench. */
export function track<C extends ChildProcess>(child: C): C {
  if (!hooked) {
    hooked = true;
    process.once('exit', killLive);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        killLive();
        process.exit(130);
      });
    }
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 5_000);
}

/** The last lines a child printed, for the error message when it fails. */
export class OutputTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly keep = 40) {}

  push(chunk: Buffer | string): void {
    const parts = (this.partial + chunk.toString()).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.keep) this.lines = this.lines.slice(-this.keep);
  }

  text(): string {
    return [...this.lines, this.partial].filter((l) => l.length > 0).join('\n');
  }

  /** Collects a child's stdout and stderr. */
  follow(child: ChildProcess): this {
    child.stdout?.on('data', (c: Buffer) => this.push(c));
    child.stderr?.on('data', (c: Buffer) => this.push(c));
    return this;
  }
}
