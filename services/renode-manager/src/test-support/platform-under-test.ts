import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDevPki, PKI_FILES, type DevPki } from '@wasmbed/pki';
import { freePort, ProcessOutput, startNatsServer, startServiceProcess, type NatsTestServer, type ServiceProcess } from '@wasmbed/testing';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
export const OPERATOR_TOKEN = 'renode-manager-test-operator';

/** The real api and gateway (built, each its own process), their NATS and a dev PKI, as the manager meets them in a stack. */
export interface PlatformUnderTest {
  readonly nats: NatsTestServer;
  readonly pki: DevPki;
  readonly pkiDir: string;
  readonly apiGrpcPort: number;
  readonly apiHttpPort: number;
  readonly gatewayTlsPort: number;
  readonly gatewayId: string;
  /** Another gateway on the same NATS and PKI (`<gatewayId>-b`), not running until startSecondGateway(). */
  readonly secondGateway: { readonly tlsPort: number; readonly gatewayId: string };
  startSecondGateway(): Promise<void>;
  /** GET on the api's HTTP face with the operator token; the JSON body, or undefined for 404. */
  api(path: string): Promise<unknown>;
  logs(): string;
  stop(): Promise<void>;
}

const hashed = (token: string) => createHash('sha256').update(token).digest('hex');

export async function startPlatformUnderTest(): Promise<PlatformUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'renode-manager-platform-'));
  const pkiDir = join(dir, 'pki');
  const output = new ProcessOutput();
  const services: ServiceProcess[] = [];
  const nats = await startNatsServer();
  const gatewayId = 'gateway-emu';
  try {
    const pki = await ensureDevPki(pkiDir, { gatewayHosts: ['127.0.0.1', 'localhost'] });
    const [apiGrpcPort, apiHttpPort, gatewayTlsPort, gatewayHttpPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const tokens = JSON.stringify([{ subject: 'renode-manager-test', role: 'operator', tokenSha256: hashed(OPERATOR_TOKEN) }]);
    services.push(
      await startServiceProcess(
        {
          name: 'api',
          main: join(ROOT, 'services/api/dist/main.js'),
          port: apiGrpcPort,
          env: {
            WASMBED_NATS_URL: nats.url,
            WASMBED_API_GRPC_ADDR: `127.0.0.1:${apiGrpcPort}`,
            WASMBED_API_HTTP_ADDR: `127.0.0.1:${apiHttpPort}`,
            WASMBED_API_TOKENS: tokens,
            WASMBED_LOG_LEVEL: 'warn',
          },
        },
        output,
      ),
    );
    const gatewayProcess = (name: string, id: string, tlsPort: number, httpPort: number) =>
      startServiceProcess(
        {
          name,
          main: join(ROOT, 'services/gateway/dist/main.js'),
          port: tlsPort,
          env: {
            WASMBED_NATS_URL: nats.url,
            WASMBED_GATEWAY_ID: id,
            WASMBED_GATEWAY_BIND_ADDR: `127.0.0.1:${tlsPort}`,
            WASMBED_GATEWAY_HTTP_ADDR: `127.0.0.1:${httpPort}`,
            WASMBED_GATEWAY_ENDPOINT: `localhost:${tlsPort}`,
            WASMBED_GATEWAY_PRIVATE_KEY: pki.files.serverKey,
            WASMBED_GATEWAY_CERTIFICATE: pki.files.serverCert,
            WASMBED_GATEWAY_CLIENT_CA: pki.files.deviceTrust,
            // Only pre-registered devices get in: the manager's registration is what admits them.
            WASMBED_GATEWAY_AUTO_APPROVE: 'false',
            // Devices give up on a silent session after 3 intervals without a HeartbeatAck: 9 s here, not 90.
            WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: '3000',
            WASMBED_LOG_LEVEL: 'warn',
          },
        },
        output,
      );
    services.push(await gatewayProcess('gateway', gatewayId, gatewayTlsPort, gatewayHttpPort));
    // A second gateway, started on demand (a redirect's destination); its port is known up front for allow-lists.
    const [secondGatewayTlsPort, secondGatewayHttpPort] = [await freePort(), await freePort()];
    let secondGateway: Promise<ServiceProcess> | undefined;
    return {
      nats,
      pki,
      pkiDir,
      apiGrpcPort,
      apiHttpPort,
      gatewayTlsPort,
      gatewayId,
      secondGateway: { tlsPort: secondGatewayTlsPort, gatewayId: `${gatewayId}-b` },
      async startSecondGateway() {
        secondGateway ??= gatewayProcess('gateway-b', `${gatewayId}-b`, secondGatewayTlsPort, secondGatewayHttpPort).then((service) => {
          services.push(service);
          return service;
        });
        await secondGateway;
      },
      async api(path) {
        const res = await fetch(`http://127.0.0.1:${apiHttpPort}${path}`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
        if (res.status === 404) return undefined;
        if (res.status !== 200) throw new Error(`api GET ${path}: HTTP ${res.status} ${await res.text()}`);
        return res.json();
      },
      logs: () => output.tail(),
      async stop() {
        for (const service of services.reverse()) await service.stop();
        await nats.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const service of services.reverse()) await service.stop();
    await nats.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export const deviceCaFiles = (pkiDir: string) => ({ certFile: join(pkiDir, PKI_FILES.caCert), keyFile: join(pkiDir, PKI_FILES.caKey) });
