import type { AddressInfo, Server } from 'node:net';

/** Starts listening and resolves with the bound port (port 0 picks a free one); a bind failure rejects. */
export function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
