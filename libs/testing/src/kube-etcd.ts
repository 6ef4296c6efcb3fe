import { get } from 'node:http';
import { join } from 'node:path';
import { freePort } from './free-port';
import { lostPortRace, startLoggedProcess, waitUntilReady, type LoggedProcess } from './kube-process';

export interface TestEtcd {
  /** e.g. `http://127.0.0.1:41234`, for --etcd-servers. */
  readonly url: string;
  readonly process: LoggedProcess;
}

const START_ATTEMPTS = 3;

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(`${url}/health`, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"health":"true"')));
    }).on('error', () => resolve(false));
  });
}

async function launch(binary: string, dataDir: string, logPath: string, timeoutMs: number): Promise<TestEtcd> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const proc = startLoggedProcess('etcd', binary, [
    '--name', 'test',
    '--data-dir', dataDir,
    '--listen-client-urls', url,
    '--advertise-client-urls', url,
    '--listen-peer-urls', peer,
    '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `test=${peer}`,
    // Throwaway data: skipping fsync makes every write (and so every test) faster.
    '--unsafe-no-fsync',
    // A lone member need not wait out the default 1 s election timeout to lead.
    '--heartbeat-interval', '20',
    '--election-timeout', '100',
    '--log-level', 'warn',
  ], logPath);
  try {
    await waitUntilReady(proc, () => healthy(url), { timeoutMs });
  } catch (err) {
    await proc.stop(1_000);
    throw err;
  }
  return { url, process: proc };
}

/** A single-member etcd on free loopback ports with its data in `dir`. */
export async function startTestEtcd(binary: string, dir: string, timeoutMs: number): Promise<TestEtcd> {
  for (let attempt = 1; ; attempt++) {
    try {
      // A fresh data dir per attempt: a failed one may have bootstrapped other peer URLs.
      return await launch(binary, join(dir, `etcd-data-${attempt}`), join(dir, 'etcd.log'), timeoutMs);
    } catch (err) {
      if (!lostPortRace(err) || attempt >= START_ATTEMPTS) throw err;
    }
  }
}
