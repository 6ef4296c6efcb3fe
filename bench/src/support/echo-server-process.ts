import { fork } from 'node:child_process';
import { join } from 'node:path';
import { forkWithRaisedFileLimit, OutputTail, stopChild, track } from './children';
import { BenchProcessError } from './errors';
import type { ServerProcess } from './server-process';
import type { ServerTlsMaterial } from './tls-material';

/** Starts the bare TLS echo server (echo-server.ts) in its own process. */
export function startEchoServer(tls: ServerTlsMaterial): Promise<ServerProcess> {
  const child = track(fork(join(__dirname, 'echo-server.js'), [tls.keyPath, tls.certPath], { ...forkWithRaisedFileLimit(), stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
  const tail = new OutputTail().follow(child);
  return new Promise((resolve, reject) => {
    const failed = (code: number | null) => reject(new BenchProcessError(`the TLS echo server exited before listening (code ${code})`, tail.text()));
    child.once('exit', failed);
    child.once('message', (message: { port: number }) => {
      child.off('exit', failed);
      resolve({ name: 'bare TLS echo server', pid: child.pid!, port: message.port, stop: () => stopChild(child, 5_000) });
    });
  });
}
