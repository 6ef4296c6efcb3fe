/**
 * A built Wasmbed service run as its own process, configured through its
 * environment as an operator runs it: for e2e tests and benchmarks that must see
 * the real process boundary (crashes, restarts, separate CPU accounting).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { ServiceStartError } from './errors';

export interface ServiceProcessSpec {
  readonly name: string;
  /** Path of the built entry (e.g. services/api/dist/main.js). */
  readonly main: string;
  readonly env: Readonly<Record<string, string>>;
  /** A port the service listens on once it is up. */
  readonly port: number;
  readonly startTimeoutMs?: number;
  /** Extra node options, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  readonly nodeArgs?: readonly string[];
}

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Output of every service of a run, newest last, bounded. */
export class ProcessOutput {
  private readonly lines: string[] = [];

  append(name: string, chunk: Buffer): void {
    this.lines.push(`[${name}] ${chunk.toString()}`);
    if (this.lines.length > 2000) this.lines.splice(0, this.lines.length - 2000);
  }

  tail(chars = 20_000): string {
    return this.lines.join('').slice(-chars);
  }
}

export async function startServiceProcess(spec: ServiceProcessSpec, output: ProcessOutput): Promise<ServiceProcess> {
  if (!existsSync(spec.main)) throw new ServiceStartError(`${spec.main} is missing: build first (npm run build)`);
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.main], { env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => output.append(spec.name, chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.append(spec.name, chunk));
  const handle: ServiceProcess = {
    name: spec.name,
    child,
    kill: () => endChild(child, 'SIGKILL'),
    stop: () => endChild(child, 'SIGTERM'),
  };
  try {
    await waitForPort(spec.port, spec.startTimeoutMs ?? 30_000, child, spec.name, output);
  } catch (err) {
    await handle.kill();
    throw err;
  }
  return handle;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function endChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (exited(child)) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill(signal);
  });
}

/** Resolves once something accepts connections on 127.0.0.1:port; rejects if the child exits first. */
export function waitForPort(port: number, timeoutMs: number, child: ChildProcess, name: string, output: ProcessOutput): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (exited(child)) {
        reject(new ServiceStartError(`${name} exited with ${child.exitCode ?? child.signalCode} before listening:\n${output.tail()}`));
        return;
      }
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new ServiceStartError(`${name} is not listening on ${port} after ${timeoutMs} ms:\n${output.tail()}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}
