import type { ChildProcess } from 'node:child_process';

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
