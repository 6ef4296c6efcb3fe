import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@wasmbed/service-kit';

/** Written by each run into its device directory, so a later manager can end an orphaned emulator. */
export const EMULATOR_PID_FILE = 'emulator.pid';
const INSTANCE_PREFIX = 'manager-';

/** Whether a process with this pid exists (one we may not signal counts too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills the emulator recorded in `deviceDir` if it is still running with that directory on its command line. */
async function killOrphan(deviceDir: string, logger: Pick<Logger, 'warn'>): Promise<void> {
  const pid = Number((await readFile(join(deviceDir, EMULATOR_PID_FILE), 'utf8').catch(() => '')).trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return;
  // The pid may have been reused: only a process started for this directory is ours.
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes(deviceDir)) return;
  logger.warn('ending an emulator left behind by a previous renode-manager', { pid, dir: deviceDir });
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone meanwhile.
  }
}

/**
 * This manager's own directory under `root` (`manager-<pid>-XXXXXX`, 0700), after
 * clearing what managers that died without cleaning up left there: their emulators
 * are killed and their files (private key seeds included) removed.
 */
export async function openWorkDir(root: string, logger: Pick<Logger, 'warn'>): Promise<string> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const match = /^manager-(\d+)-/.exec(entry.name);
    if (!entry.isDirectory() || match === null || processAlive(Number(match[1]))) continue;
    const instance = join(root, entry.name);
    for (const device of await readdir(instance, { withFileTypes: true }).catch(() => [])) {
      if (device.isDirectory()) await killOrphan(join(instance, device.name), logger);
    }
    await rm(instance, { recursive: true, force: true });
  }
  return mkdtemp(join(root, `${INSTANCE_PREFIX}${process.pid}-`));
}

/** A fresh 0700 directory for one device. */
export function createDeviceDir(workDir: string, deviceName: string): Promise<string> {
  return mkdtemp(join(workDir, `${deviceName}-`));
}

/** The provisioning image holds the private key seed: owner-only. */
export async function writeSecretFile(file: string, bytes: Uint8Array): Promise<void> {
  await writeFile(file, bytes, { mode: 0o600, flag: 'wx' });
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
