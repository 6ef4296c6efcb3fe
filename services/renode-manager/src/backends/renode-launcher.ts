import { writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { EmulatorStartError } from '../errors';
import { attachedRun, EmulatorProcess, type EmulatorLauncher, type EmulatorRun, type LaunchSpec } from './emulator-process';
import { renodeCommand, renodePlatformDescription, renodeScript } from './renode-script';

/** A port that was free a moment ago: Renode's terminals are servers, so it must bind them itself. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Connects to a server that may not be listening yet; gives up when `stop` says so. */
function connectWhenUp(port: number, stop: () => string | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', () => {
        socket.destroy();
        const reason = stop();
        if (reason !== undefined) reject(new EmulatorStartError(reason));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/**
 * Runs boards on Renode (when `renode` is installed): writes the board's platform
 * description and the device's script into its directory, starts Renode headless,
 * and connects to the two server socket terminals the script creates.
 */
export class RenodeLauncher implements EmulatorLauncher {
  readonly kind = 'renode' as const;

  constructor(
    private readonly renodePath: string,
    private readonly attachTimeoutMs: number,
  ) {}

  async launch(spec: LaunchSpec): Promise<EmulatorRun> {
    const platformFile = join(spec.dir, `${spec.deviceName}.repl`);
    const scriptFile = join(spec.dir, `${spec.deviceName}.resc`);
    const [consolePort, linkPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    await writeFile(platformFile, renodePlatformDescription(spec.board), { mode: 0o600 });
    await writeFile(scriptFile, renodeScript({ ...spec, platformFile, consolePort, linkPort }), { mode: 0o600 });
    const command = renodeCommand(this.renodePath, scriptFile);
    const emulator = EmulatorProcess.spawn(command.binary, command.args, spec.dir);
    const deadline = Date.now() + this.attachTimeoutMs;
    const stop = (): string | undefined => {
      if (!emulator.running) return `renode ended before its terminals were up: ${emulator.output().trim().split('\n').slice(-3).join(' | ')}`;
      if (Date.now() > deadline) return `renode did not open its terminals within ${this.attachTimeoutMs} ms`;
      return undefined;
    };
    const sockets: Socket[] = [];
    try {
      for (const port of [consolePort, linkPort]) sockets.push(await connectWhenUp(port, stop));
    } catch (err) {
      sockets.forEach((s) => s.destroy());
      await emulator.terminate();
      throw err;
    }
    const [consoleUart, linkUart] = sockets;
    return attachedRun(emulator, consoleUart, linkUart);
  }
}
