import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptedGatewayPeer } from '../test-support/scripted-gateway-peer';

jest.setTimeout(120_000);

// The bin runs from sources here, through the same loader app workers use (no build needed).
const LOADER = join(__dirname, '..', 'runtime', 'source-mode-loader.js');
const CLI = join(__dirname, 'sim-fleet.ts');

describe('wasmbed-sim-fleet', () => {
  let peer: ScriptedGatewayPeer;
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    peer = await ScriptedGatewayPeer.start();
    dir = await mkdtemp(join(tmpdir(), 'sim-fleet-cli-'));
  });

  afterEach(async () => {
    child?.kill('SIGKILL');
    await peer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('connects --count devices, prints summary lines, and stops on SIGINT', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, peer.caPem);
    const keyDir = join(dir, 'keys');
    const args = ['-r', LOADER, CLI, '--count', '5', '--gateway', peer.endpoint, '--ca', caFile, '--key-dir', keyDir, '--prefix', 'cli', '--summary-interval-ms', '100'];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));

    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (stdout.includes('fleet: 5 devices — 5 connected, 0 enrolling, 0 rejected; apps running 0')) resolve();
      };
      proc.stdout!.on('data', check);
      proc.on('exit', () => reject(new Error(`fleet exited early: ${stderr}`)));
    });
    expect(new Set(peer.connections.map((c) => c.identity?.publicKeyHex)).size).toBe(5);
    expect((await readdir(keyDir)).sort()).toEqual(['cli-1', 'cli-2', 'cli-3', 'cli-4', 'cli-5']);

    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/fleet: SIGINT, stopping 5 devices/);
    expect(stderr).toBe('');
  });
});
