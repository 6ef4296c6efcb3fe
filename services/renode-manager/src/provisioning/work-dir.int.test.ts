// Clearing up after a manager that died without cleaning up: real processes, real files.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonLogger } from '@wasmbed/service-kit';
import { EMULATOR_PID_FILE, openWorkDir } from './work-dir';

const logger = createJsonLogger('work-dir-test', 'error');
let root: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'renode-manager-workdir-'));
});
afterEach(async () => {
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  await rm(root, { recursive: true, force: true });
});

/** A long-running process whose command line names `dir`, like an emulator's names its device directory. */
function emulatorLike(dir: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)', dir], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('work directory', () => {
  it('is a fresh 0700 directory per manager', async () => {
    const dir = await openWorkDir(root, logger);
    expect(dir.startsWith(join(root, `manager-${process.pid}-`))).toBe(true);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('ends the emulators of a dead manager and removes its files, leaving a live manager’s alone', async () => {
    const dead = join(root, `manager-${await deadPid()}-abc123`);
    const orphanDir = join(dead, 'emu-1-xyz');
    await mkdir(orphanDir, { recursive: true });
    const orphan = emulatorLike(orphanDir);
    await writeFile(join(orphanDir, EMULATOR_PID_FILE), `${orphan.pid}\n`);
    // A pid file naming a process that is not ours (its command line lacks the directory) is left alone.
    const stranger = emulatorLike('/somewhere/else');
    const strangerDir = join(dead, 'emu-2-xyz');
    await mkdir(strangerDir);
    await writeFile(join(strangerDir, EMULATOR_PID_FILE), `${stranger.pid}\n`);
    const live = join(root, `manager-${process.pid}-live01`);
    await mkdir(live);

    const exited = once(orphan, 'exit');
    const dir = await openWorkDir(root, logger);
    expect((await exited)[1]).toBe('SIGKILL');
    expect(stranger.exitCode).toBeNull();
    expect(stranger.signalCode).toBeNull();
    expect((await readdir(root)).sort()).toEqual([`manager-${process.pid}-live01`, dir.slice(root.length + 1)].sort());
  });
});
