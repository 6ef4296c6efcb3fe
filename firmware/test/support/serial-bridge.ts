import { connect, type Socket } from 'node:net';

/** What a bridge has relayed; `gatewayConnections` counts TCP connections it opened to the gateway. */
export interface SerialBridgeStats {
  readonly toGateway: number;
  readonly toDevice: number;
  readonly gatewayConnections: number;
}

export interface SerialBridge {
  readonly stats: SerialBridgeStats;
  /** Ends both sides. */
  close(): void;
}

export interface SerialBridgeOptions {
  /** Where the emulator's serial server listens (default 127.0.0.1). */
  readonly serialHost?: string;
  /** How long to keep trying to reach the emulator's serial port (default 20 s): it may still be starting. */
  readonly connectTimeoutMs?: number;
}

function connectWithRetry(port: number, host: string, deadline: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (err) => {
        socket.destroy();
        if (Date.now() >= deadline) reject(new Error(`serial port ${host}:${port} unreachable: ${err.message}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Relays an emulated board's link UART to a gateway's TLS port, byte for byte:
 * TLS runs end to end between the MCU and the gateway, the bridge sees only
 * ciphertext. The emulator serves the UART as a TCP server (QEMU
 * `-serial tcp:127.0.0.1:<port>,server=on,wait=on`, or `-chardev socket,...,server=on`
 * for a pci-serial); the bridge connects to it (retrying while QEMU starts).
 *
 * A serial line has no connections, so the bridge makes them: the first byte
 * from the device opens a TCP connection to the gateway; when the gateway closes
 * it, the next byte from the device opens a new one (the device's next attempt
 * starts with a fresh ClientHello).
 */
export async function bridgeSerialToGateway(
  serialPort: number,
  gatewayHost: string,
  gatewayPort: number,
  options: SerialBridgeOptions = {},
): Promise<SerialBridge> {
  const deadline = Date.now() + (options.connectTimeoutMs ?? 20_000);
  const serial = await connectWithRetry(serialPort, options.serialHost ?? '127.0.0.1', deadline);
  const stats = { toGateway: 0, toDevice: 0, gatewayConnections: 0 };
  let gateway: Socket | undefined;

  const openGateway = (): Socket => {
    const socket = connect(gatewayPort, gatewayHost);
    stats.gatewayConnections++;
    socket.on('data', (chunk: Buffer) => {
      stats.toDevice += chunk.length;
      serial.write(chunk);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (gateway === socket) gateway = undefined;
    });
    return socket;
  };

  serial.on('data', (chunk: Buffer) => {
    stats.toGateway += chunk.length;
    gateway ??= openGateway();
    gateway.write(chunk);
  });
  serial.on('error', () => serial.destroy());
  serial.on('close', () => gateway?.destroy());

  return {
    stats,
    close() {
      serial.destroy();
      gateway?.destroy();
    },
  };
}
