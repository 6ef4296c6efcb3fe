import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { EmulatorStartError } from '../errors';
import { attachedRun, describeExit, EmulatorProcess, type EmulatorLauncher, type EmulatorRun, type LaunchSpec } from './emulator-process';
import { qemuCommand } from './qemu-argv';

async function listenLoopback(): Promise<Server> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const portOf = (server: Server): number => (server.address() as AddressInfo).port;

/**
 * Runs boards on QEMU. The manager listens on two loopback ports first and QEMU
 * connects to both (console and link) before the CPU starts: no port is raced for,
 * no early console byte is lost, and a port is never left behind by a dead run.
 */
export class QemuLauncher implements EmulatorLauncher {
  readonly kind = 'qemu' as const;

  constructor(
    /** Absolute path of a QEMU binary by its name (from detection). */
    private readonly binaryPath: (name: string) => string,
    private readonly attachTimeoutMs: number,
  ) {}

  async launch(spec: LaunchSpec): Promise<EmulatorRun> {
    const [consoleServer, linkServer] = [await listenLoopback(), await listenLoopback()];
    const consoleSocket = once(consoleServer, 'connection') as Promise<[Socket]>;
    const linkSocket = once(linkServer, 'connection') as Promise<[Socket]>;
    const command = qemuCommand({ ...spec, consolePort: portOf(consoleServer), linkPort: portOf(linkServer) });
    const emulator = EmulatorProcess.spawn(this.binaryPath(command.binary), command.args, spec.dir);
    let timer: NodeJS.Timeout | undefined;
    try {
      const [[consoleUart], [linkUart]] = await Promise.race([
        Promise.all([consoleSocket, linkSocket]),
        emulator.exited.then((exit) => {
          throw new EmulatorStartError(`${describeExit('qemu', exit, emulator.output())} before attaching its serial ports`);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new EmulatorStartError(`qemu did not attach its serial ports within ${this.attachTimeoutMs} ms`)), this.attachTimeoutMs);
        }),
      ]);
      return attachedRun(emulator, consoleUart, linkUart);
    } catch (err) {
      await emulator.terminate();
      void consoleSocket.then(([s]) => s.destroy(), () => undefined);
      void linkSocket.then(([s]) => s.destroy(), () => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
      consoleServer.close();
      linkServer.close();
    }
  }
}
