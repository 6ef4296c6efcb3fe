import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { BackendKind, BoardSpec } from '../boards/board-catalogue';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** What a launcher needs to start one run of a device. */
export interface LaunchSpec {
  readonly deviceName: string;
  readonly board: BoardSpec;
  readonly elf: string;
  readonly provisioningImage: string;
  /** The device's own directory (0700): backends may write their files there. */
  readonly dir: string;
}

/** One running emulator with its two serial ports attached. */
export interface EmulatorRun {
  readonly pid: number | undefined;
  /** UART0: the firmware's console. */
  readonly console: Socket;
  /** The link UART: the device's TLS bytes. */
  readonly link: Socket;
  /** Settles once the process has exited. */
  readonly exited: Promise<ProcessExit>;
  /** The emulator's own output (stdout and stderr), the last few KiB. */
  output(): string;
  /** SIGTERM, SIGKILL after a grace period; resolves once the process is gone. */
  terminate(): Promise<void>;
}

export interface EmulatorLauncher {
  readonly kind: BackendKind;
  launch(spec: LaunchSpec): Promise<EmulatorRun>;
}

const OUTPUT_TAIL = 4096;
const TERMINATE_GRACE_MS = 5_000;

/** A spawned emulator: its exit, the tail of its output, and a terminate that always ends it. */
export class EmulatorProcess {
  readonly exited: Promise<ProcessExit>;
  private tail = '';

  private constructor(readonly child: ChildProcess) {
    const append = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.exited = new Promise((resolve) => {
      // 'error' without 'exit' happens when the binary cannot be started at all.
      child.once('error', (err) => {
        append(Buffer.from(`${err.message}\n`));
        if (child.pid === undefined) resolve({ code: null, signal: null });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  /** argv only, no shell; stdin closed, output kept for error reports. */
  static spawn(binary: string, args: readonly string[], cwd: string): EmulatorProcess {
    return new EmulatorProcess(spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
  }

  output(): string {
    return this.tail;
  }

  async terminate(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), TERMINATE_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }
}

/** A started emulator with its console and link sockets attached; terminate closes the sockets and ends it. */
export function attachedRun(emulator: EmulatorProcess, consoleUart: Socket, linkUart: Socket): EmulatorRun {
  return {
    pid: emulator.pid,
    console: consoleUart,
    link: linkUart,
    exited: emulator.exited,
    output: () => emulator.output(),
    terminate: async () => {
      consoleUart.destroy();
      linkUart.destroy();
      await emulator.terminate();
    },
  };
}

export function describeExit(kind: BackendKind, exit: ProcessExit, output: string): string {
  const how = exit.signal !== null ? `was killed by ${exit.signal}` : exit.code !== null ? `exited with code ${exit.code}` : 'could not be started';
  const said = output.trim().split('\n').slice(-3).join(' | ');
  return `${kind} ${how}${said === '' ? '' : `: ${said}`}`;
}
