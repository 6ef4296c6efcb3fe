/**
 * The raw baseline: the same firmware ELF booted by QEMU alone, no renode-manager,
 * no bridge, no platform. Its provisioning image (firmware/tools/provision.mjs) has an
 * endpoint and an identity but no platform CA, so the firmware boots to its console
 * and stays offline: what booting costs before any of our parts is involved.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { McuBoard } from './options';

const ROOT = resolve(__dirname, '..', '..', '..');
const PROVISION_TOOL = join(ROOT, 'firmware', 'tools', 'provision.mjs');

// QEMU machine and provisioning area per board (firmware/README.md, "Memory map").
const MACHINES: Record<McuBoard, { readonly binary: string; readonly args: readonly string[]; readonly area: string }> = {
  'mps2-an385': { binary: 'qemu-system-arm', args: ['-M', 'mps2-an385'], area: '0x20001000' },
  'riscv32-virt': { binary: 'qemu-system-riscv32', args: ['-M', 'virt', '-bios', 'none'], area: '0x80401000' },
};

export const firmwareElf = (board: McuBoard): string => join(ROOT, 'firmware', 'build', board, 'wasmbed.elf');

/** An offline provisioning image at `file`. */
export async function writeOfflineImage(file: string): Promise<void> {
  await promisify(execFile)(process.execPath, [PROVISION_TOOL, '--out', file, '--endpoint', 'localhost:9']);
}

export interface BareBoot {
  readonly child: ChildProcess;
  /** ms from spawn to the banner line and to `ready in`. */
  readonly bannerMs: number;
  readonly readyMs: number;
}

/** Boots the board's ELF with the console on stdout until `ready in`; the caller ends `child`. */
export function bootBare(board: McuBoard, image: string, timeoutMs = 30_000): Promise<BareBoot> {
  const machine = MACHINES[board];
  const t0 = performance.now();
  const child = spawn(machine.binary, [...machine.args, '-nographic', '-monitor', 'none', '-kernel', firmwareElf(board), '-device', `loader,file=${image},addr=${machine.area}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((done, fail) => {
    let text = '';
    let bannerMs: number | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${board}: no 'ready in' within ${timeoutMs} ms; console:\n${text.slice(-2000)}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const at = performance.now() - t0;
      if (bannerMs === undefined && /wasmbed-fw \S+ board=/.test(text)) bannerMs = at;
      if (/\nready in \d+ ms/.test(text)) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        done({ child, bannerMs: bannerMs ?? at, readyMs: at });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${board}: QEMU ended (${code ?? signal}) before 'ready in'; console:\n${text.slice(-2000)}`));
    });
  });
}

export async function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
