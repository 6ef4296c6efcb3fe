import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { eventually } from '@wasmbed/testing';

/** One emulated board: how QEMU runs it and where its provisioning area is. */
export interface BoardSpec {
  readonly name: string;
  readonly qemu: string;
  readonly machine: readonly string[];
  readonly provisioningArea: number;
  readonly arch: string;
}

export const BOARDS: readonly BoardSpec[] = [
  { name: 'mps2-an385', qemu: 'qemu-system-arm', machine: ['-M', 'mps2-an385'], provisioningArea: 0x2000_1000, arch: 'thumbv7m' },
  {
    name: 'riscv32-virt',
    qemu: 'qemu-system-riscv32',
    machine: ['-M', 'virt', '-bios', 'none'],
    provisioningArea: 0x8040_1000,
    arch: 'riscv32imac',
  },
];

/**
 * A QEMU process whose first serial port is a TCP connection to us: we listen
 * on a free port first and QEMU connects as a client before the CPU starts, so
 * no console byte is lost and no port is raced for.
 */
export class QemuConsole {
  private text = '';

  private constructor(
    private readonly process: ChildProcess,
    private readonly socket: Socket,
    private readonly stderr: () => string,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('latin1');
    });
  }

  /** `extraArgs` go last on QEMU's command line (e.g. a second serial port: the TLS link). */
  static async boot(board: BoardSpec, elf: string, provisioningImage?: string, extraArgs: readonly string[] = []): Promise<QemuConsole> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const loader = provisioningImage ? ['-device', `loader,file=${provisioningImage},addr=0x${board.provisioningArea.toString(16)}`] : [];
    const args = [...board.machine, '-display', 'none', '-monitor', 'none', '-serial', `tcp:127.0.0.1:${port}`, '-kernel', elf, ...loader, ...extraArgs];
    const child = spawn(board.qemu, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      const [socket] = (await Promise.race([
        once(server, 'connection'),
        once(child, 'exit').then(([code]) => {
          throw new Error(`${board.qemu} exited with ${String(code)} before connecting: ${stderr}`);
        }),
      ])) as [Socket];
      return new QemuConsole(child, socket, () => stderr);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    } finally {
      server.close();
    }
  }

  /** Everything the board has printed so far. */
  get output(): string {
    return this.text;
  }

  send(text: string): void {
    this.socket.write(text, 'latin1');
  }

  /** Waits until the output matches and returns the match. */
  waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    return eventually(`console output matching ${pattern}`, () => this.text.match(pattern) ?? undefined, timeoutMs, () =>
      `---- console ----\n${this.text}\n---- qemu stderr ----\n${this.stderr()}`,
    );
  }

  /** Sends a command line and returns the first line of its answer that matches. */
  async command(line: string, answer: RegExp): Promise<RegExpMatchArray> {
    const before = this.text.length;
    this.send(`${line}\r`);
    return eventually(`answer to "${line}" matching ${answer}`, () => this.text.slice(before).match(answer) ?? undefined, 20_000, () => this.text);
  }

  async stop(): Promise<void> {
    this.socket.destroy();
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = once(this.process, 'exit');
      this.process.kill('SIGTERM');
      await exited;
    }
  }
}
