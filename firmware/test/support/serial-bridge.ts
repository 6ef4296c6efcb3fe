import { connect, type Socket } from 'node:net';

/** What a bridge has relayed; `gatewayConnections` counts TCP connections it opened to the gateway. */
export interface SerialBridgeStats {
  readonly toGateway: number;
  readonly toDevice: number;
  readonly gatewayConnections: number;
}

export interface SerialBridge {
  readonly stats: SerialBridgeStats;
  /**
   * Simulates a link failure: after `bytes` more bytes towards the device, the
   * gateway connection is destroyed and the rest is dropped. The device is not
   * told (a serial line has no close): it finds out by its own timeouts.
   */
  cutGatewayAfter(bytes: number): void;
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
 * A serial line has no connections, so the bridge makes them: the device's
 * first TLS record opens a TCP connection to the gateway, and each ClientHello
 * (the device's next attempt) opens a new one. The bridge reads only the
 * 5-byte record headers, never any plaintext. Nor does it say where the device dials:
 * `gatewayPort` may be a function, asked at every new connection (a test
 * follows the console's `agent: dialing <endpoint>` to honour a redirect).
 */
export async function bridgeSerialToGateway(
  serialPort: number,
  gatewayHost: string,
  gatewayPort: number | (() => number),
  options: SerialBridgeOptions = {},
): Promise<SerialBridge> {
  const deadline = Date.now() + (options.connectTimeoutMs ?? 20_000);
  const serial = await connectWithRetry(serialPort, options.serialHost ?? '127.0.0.1', deadline);
  const stats = { toGateway: 0, toDevice: 0, gatewayConnections: 0 };
  let gateway: Socket | undefined;
  let cutAt: number | undefined;
  // After a cut, what the device still sends for the lost session is dropped
  // until its next connection starts (a TLS handshake record: 0x16 0x03).
  let awaitHandshake = false;

  const openGateway = (): Socket => {
    const socket = connect(typeof gatewayPort === 'number' ? gatewayPort : gatewayPort(), gatewayHost);
    stats.gatewayConnections++;
    socket.on('data', (chunk: Buffer) => {
      if (cutAt !== undefined && stats.toDevice + chunk.length >= cutAt) {
        const keep = Math.max(0, cutAt - stats.toDevice);
        cutAt = undefined;
        stats.toDevice += keep;
        serial.write(chunk.subarray(0, keep));
        awaitHandshake = true;
        socket.destroy();
        return;
      }
      stats.toDevice += chunk.length;
      serial.write(chunk);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (gateway === socket) gateway = undefined;
    });
    return socket;
  };

  // The device's bytes are TLS records: relayed record by record, so that a
  // ClientHello (content type 22, handshake type 1) is seen wherever QEMU cuts
  // the stream. A ClientHello starts a new connection, even if the old one
  // (whose close_notify may share its chunk) has not closed yet.
  const relay = (record: Buffer): void => {
    const clientHello = record[0] === 0x16 && record[5] === 0x01;
    if (awaitHandshake && !clientHello) return;
    awaitHandshake = false;
    if (clientHello && gateway) {
      gateway.destroy();
      gateway = undefined;
    }
    stats.toGateway += record.length;
    gateway ??= openGateway();
    gateway.write(record);
  };
  let held: Buffer = Buffer.alloc(0);
  serial.on('data', (chunk: Buffer) => {
    held = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
    while (held.length >= 5 && held.length >= 5 + held.readUInt16BE(3)) {
      const end = 5 + held.readUInt16BE(3);
      relay(held.subarray(0, end));
      held = held.subarray(end);
    }
  });
  serial.on('error', () => serial.destroy());
  serial.on('close', () => gateway?.destroy());

  return {
    stats,
    cutGatewayAfter(bytes) {
      cutAt = stats.toDevice + bytes;
    },
    close() {
      serial.destroy();
      gateway?.destroy();
    },
  };
}
