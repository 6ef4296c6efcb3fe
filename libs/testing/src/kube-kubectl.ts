import { spawn } from 'node:child_process';
import { KubectlError } from './kube-errors';

export interface KubectlOptions {
  /** Written to stdin, e.g. manifests for `apply -f -`. */
  readonly input?: string;
  /** Act as another user: overrides the kubeconfig's admin token. */
  readonly token?: string;
  /** Killed (SIGKILL) after this long. Default 30 s. */
  readonly timeoutMs?: number;
}

export interface KubectlResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl with an argv array (no shell); rejects with KubectlError unless it exits 0. */
export function runKubectl(binary: string, kubeconfigPath: string, args: readonly string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const argv = ['--kubeconfig', kubeconfigPath, ...(options.token ? ['--token', options.token] : []), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(binary, argv, { stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 30_000, killSignal: 'SIGKILL' });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (err) => reject(new KubectlError(args, null, '', err.message, { cause: err })));
    child.once('close', (code, signal) => {
      const out = Buffer.concat(stdout).toString();
      const err = Buffer.concat(stderr).toString() + (signal ? `\n(killed by ${signal})` : '');
      if (code === 0) resolve({ stdout: out, stderr: err });
      else reject(new KubectlError(args, code, out, err));
    });
    child.stdin.on('error', () => undefined); // kubectl may exit before reading stdin
    child.stdin.end(options.input ?? '');
  });
}
