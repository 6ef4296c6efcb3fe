import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { join, resolve } from 'node:path';
import { freePort } from '@wasmbed/testing';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
export const CLI_MAIN = join(ROOT, 'tools', 'cli', 'dist', 'main.js');
const API_MAIN = join(ROOT, 'services', 'api', 'dist', 'main.js');

function requireBuilt(main: string): void {
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm run build, or tsc -p tsconfig.build.json in its package)`);
}

export interface TestToken {
  readonly subject: string;
  readonly role: 'viewer' | 'operator' | 'admin';
  readonly token: string;
}

export interface ApiProcess {
  readonly grpcAddress: string;
  readonly httpUrl: string;
  logs(): string;
  stop(): Promise<void>;
}

export interface ApiProcessOptions {
  /** More of the api's environment, e.g. WASMBED_API_TLS_CERT and WASMBED_API_TLS_KEY. */
  readonly env?: Record<string, string>;
  /** With TLS: the CA (PEM) that issued the api's certificate, to probe its HTTPS /readyz. */
  readonly ca?: Buffer;
}

/** The built api as a child process, configured through its environment; resolves once /readyz answers 200. */
export async function startApiProcess(natsUrl: string, tokens: readonly TestToken[], options: ApiProcessOptions = {}): Promise<ApiProcess> {
  requireBuilt(API_MAIN);
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const configured = tokens.map(({ subject, role, token }) => ({ subject, role, tokenSha256: createHash('sha256').update(token).digest('hex') }));
  const child = spawn(process.execPath, [API_MAIN], {
    env: {
      ...process.env,
      WASMBED_NATS_URL: natsUrl,
      WASMBED_API_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
      WASMBED_API_HTTP_ADDR: `127.0.0.1:${httpPort}`,
      WASMBED_API_TOKENS: JSON.stringify(configured),
      WASMBED_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const api: ApiProcess = {
    grpcAddress: `127.0.0.1:${grpcPort}`,
    httpUrl: `${options.ca === undefined ? 'http' : 'https'}://127.0.0.1:${httpPort}`,
    logs: () => log,
    stop: () => stopChild(child),
  };
  try {
    await waitForReady(`${api.httpUrl}/readyz`, child, api.logs, options.ca);
  } catch (err) {
    await api.stop();
    throw err;
  }
  return api;
}

/** GET url: over HTTPS trusting `ca` when given (fetch takes no CA). */
function statusOf(url: string, ca?: Buffer): Promise<number> {
  if (ca === undefined) return fetch(url).then((res) => res.status);
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

async function waitForReady(url: string, child: ChildProcess, logs: () => string, ca?: Buffer): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the api exited with ${child.exitCode}:\n${logs()}`);
    try {
      if ((await statusOf(url, ca)) === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the api is not ready after 30 s:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  /** Resolves once stdout contains `text`; rejects after `timeoutMs` or if the process ends first. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves when the process has ended. */
  readonly done: Promise<CliResult>;
}

/** `node tools/cli/dist/main.js ...args` with only the given environment (no WASMBED_* leaking in). */
export function spawnCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): CliProcess {
  requireBuilt(CLI_MAIN);
  const env = { PATH: process.env.PATH ?? '', ...options.env };
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolveDone, fail) => {
    child.once('error', fail);
    child.once('close', (code) => resolveDone({ code, stdout, stderr }));
  });
  let ended = false;
  void done.then(() => (ended = true));
  return {
    child,
    stdout: () => stdout,
    done,
    async waitForOutput(text, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.includes(text)) {
        if (ended || Date.now() > deadline) throw new Error(`no '${text}' in the CLI output:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

export function runCliProcess(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return spawnCli(args, options).done;
}
