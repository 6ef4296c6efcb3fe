import { connect, createServer, type Socket } from 'node:net';

export interface PausableRelay {
  readonly port: number;
  /** Drops every connection and refuses new ones, as a network partition would. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/** A TCP relay to 127.0.0.1:targetPort on a port of its own that stays the same across pauses. */
export async function startPausableRelay(targetPort: number): Promise<PausableRelay> {
  const open = new Set<Socket>();
  let paused = false;
  const server = createServer((client) => {
    if (paused) return void client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    pause() {
      paused = true;
      for (const socket of open) socket.destroy();
    },
    resume() {
      paused = false;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
