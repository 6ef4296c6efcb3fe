/**
 * Child process: the bare baseline. A node:tls server with the same TLS settings
 * as the gateway's device listener (TLS 1.3 only, client certificate requested,
 * the same server certificate) that echoes every byte back and does nothing else.
 * argv: <key file> <certificate file>; tells its port to the parent over IPC.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:tls';

const [keyPath, certPath] = process.argv.slice(2);
if (keyPath === undefined || certPath === undefined || process.send === undefined) {
  process.stderr.write('usage: forked with <key file> <certificate file>\n');
  process.exit(2);
}

const server = createServer({
  key: readFileSync(keyPath),
  cert: readFileSync(certPath),
  minVersion: 'TLSv1.3',
  requestCert: true,
  rejectUnauthorized: false,
});
server.on('secureConnection', (socket) => {
  socket.on('error', () => undefined);
  socket.pipe(socket);
});
server.on('tlsClientError', (_err, socket) => socket.destroy());
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send!({ port: typeof address === 'object' && address !== null ? address.port : 0 });
});
// The bench went away: so do we.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
