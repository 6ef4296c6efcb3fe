import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsServerNotFoundError, NatsServerStartError } from './errors';
import { freePort } from './free-port';
import { LogTail } from './log-tail';

export interface NatsServerOptions {
  /** Run with JetStream (`-js -sd <storeDir>`). Default true. */
  readonly jetstream?: boolean;
  /** Extra nats-server arguments, appended last. */
  readonly args?: readonly string[];
  /** Executable. Default: $WASMBED_NATS_SERVER_BIN, else `nats-server` on PATH. */
  readonly binary?: string;
  /** How long to wait for "Server is ready". Default 15 s. */
  readonly readyTimeoutMs?: number;
  /** How long SIGTERM may take before SIGKILL. Default 5 s. */
  readonly stopTimeoutMs?: number;
}

export interface NatsTestServer {
  /** e.g. `nats://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** JetStream store directory (a fresh temp dir, removed by stop()). */
  readonly storeDir: string;
  /** True while the server process is alive. */
  readonly running: boolean;
  /** SIGTERM (SIGKILL after stopTimeoutMs), wait for exit, delete storeDir. Idempotent. */
  stop(): Promise<void>;
  /** Stop and start again on the same port and store dir: data persists (durability tests). */
  restart(): Promise<void>;
}

const READY_LINE = 'Server is ready';
const PORT_TAKEN = /address already in use/i;
const START_ATTEMPTS = 3;

// Children still alive when the process exits are killed. Best effort: inside jest's
// sandbox `process` listeners do not see the real exit, so there stop() (withNats'
// afterAll) is what cleans up.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => liveChildren.forEach((c) => c.kill('SIGKILL')));
  }
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

function resolveBinary(options: NatsServerOptions): string {
  return options.binary ?? process.env.WASMBED_NATS_SERVER_BIN ?? 'nats-server';
}

class PortTakenError extends NatsServerStartError {
  constructor(log: string) {
    super('nats-server could not bind its port (address already in use)', log);
  }
}

/** Spawns nats-server and resolves once it logged that it is ready. */
function launch(binary: string, args: string[], readyTimeoutMs: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const log = new LogTail(60);
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new NatsServerStartError(`nats-server not ready after ${readyTimeoutMs} ms`, log.text())),
      readyTimeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      log.push(chunk.toString('utf8'));
      if (!settled && log.includes(READY_LINE)) {
        settled = true;
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (err: NodeJS.ErrnoException) => {
      fail(err.code === 'ENOENT' || err.code === 'EACCES' ? new NatsServerNotFoundError(binary, { cause: err }) : err);
    });
    child.once('exit', (code, signal) => {
      const text = log.text();
      if (PORT_TAKEN.test(text)) fail(new PortTakenError(text));
      else fail(new NatsServerStartError(`nats-server exited early (code ${code}, signal ${signal})`, text));
    });
    track(child);
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

async function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  child.kill('SIGTERM');
  if (await waitForExit(child, timeoutMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, timeoutMs);
}

/**
 * Starts a real nats-server on a free 127.0.0.1 port with a fresh JetStream store
 * directory and waits until it accepts connections.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsTestServer> {
  const binary = resolveBinary(options);
  const jetstream = options.jetstream ?? true;
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const storeDir = await mkdtemp(join(tmpdir(), 'wasmbed-nats-'));
  const argsFor = (port: number): string[] => [
    '-a', '127.0.0.1',
    '-p', String(port),
    ...(jetstream ? ['-js', '-sd', storeDir] : []),
    ...(options.args ?? []),
  ];

  let port = 0;
  let child: ChildProcess | undefined;
  try {
    for (let attempt = 1; child === undefined; attempt++) {
      port = await freePort();
      try {
        child = await launch(binary, argsFor(port), readyTimeoutMs);
      } catch (err) {
        // Another process grabbed the port between freePort() and the bind.
        if (!(err instanceof PortTakenError) || attempt >= START_ATTEMPTS) throw err;
      }
    }
  } catch (err) {
    await rm(storeDir, { recursive: true, force: true });
    throw err;
  }

  let current: ChildProcess | undefined = child;
  let removed = false;
  const stopProcess = async (): Promise<void> => {
    const running = current;
    current = undefined;
    if (running) await terminate(running, stopTimeoutMs);
  };

  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get running() {
      return current !== undefined && current.exitCode === null && current.signalCode === null;
    },
    async stop() {
      await stopProcess();
      if (!removed) {
        removed = true;
        await rm(storeDir, { recursive: true, force: true });
      }
    },
    async restart() {
      if (removed) throw new NatsServerStartError('cannot restart a stopped server: its store was deleted', '');
      await stopProcess();
      current = await launch(binary, argsFor(port), readyTimeoutMs);
    },
  };
}
