#!/usr/bin/env node
// The embedded stack: a local nats-server with JetStream in the data dir and every
// Wasmbed service, each as its own process. Ctrl-C stops all cleanly.
// Plain JavaScript on purpose: it must run right after `npm run setup`.
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dataDir = path.resolve(process.env.WASMBED_DATA_DIR || path.join(root, '.wasmbed'));
const natsPort = Number(process.env.WASMBED_NATS_PORT || 4222);
const natsMonitorPort = Number(process.env.WASMBED_NATS_MONITOR_PORT || 8222);
const apiGrpcPort = Number(process.env.WASMBED_API_GRPC_PORT || 50051);
const apiHttpPort = Number(process.env.WASMBED_API_HTTP_PORT || 3001);
const gatewayTlsPort = Number(process.env.WASMBED_GATEWAY_TLS_PORT || 4423);
const gatewayHttpPort = Number(process.env.WASMBED_GATEWAY_HTTP_PORT || 8080);
const appControllerPort = Number(process.env.WASMBED_APP_CONTROLLER_PORT || 8091);
const deviceControllerPort = Number(process.env.WASMBED_DEVICE_CONTROLLER_PORT || 8092);
const k8sSyncPort = Number(process.env.WASMBED_K8S_SYNC_PORT || 8093);
// The Kubernetes face is optional: without a kubeconfig the stack runs on the event log alone.
const kubeconfig = process.env.WASMBED_KUBECONFIG || '';
const simDevices = Number(process.env.WASMBED_SIM_DEVICES ?? 5);
const heartbeatMs = Number(process.env.WASMBED_HEARTBEAT_INTERVAL_MS || 5000);
const natsBin = process.env.WASMBED_NATS_SERVER_BIN || 'nats-server';

function fail(message) {
  console.error(`wasmbed: ${message}`);
  process.exit(1);
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => { sock.destroy(); resolve(); });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** The dev admin token lives in the data dir (mode 0600); only its hash goes to services. */
function ensureAdminToken() {
  const file = path.join(dataDir, 'admin.token');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  }
  const token = fs.readFileSync(file, 'utf8').trim();
  return { file, token, sha256: crypto.createHash('sha256').update(token).digest('hex') };
}

const children = [];
let stopping = false;

function start(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  const pipe = (stream, out) => {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) { out.write(prefix + buf.slice(0, nl) + '\n'); buf = buf.slice(nl + 1); }
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`wasmbed: ${name} exited (${signal || code}); stopping the stack`);
      shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nwasmbed: stopping…');
  // Services first, NATS last, so services can flush and unsubscribe.
  for (const { child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      const t = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 10_000);
      child.once('exit', () => { clearTimeout(t); resolve(); });
    });
  }
  console.log('wasmbed: stopped');
  process.exit(code);
}

async function main() {
  if (spawnSync(natsBin, ['--version']).error) {
    fail(`'${natsBin}' not found. Run 'npm run setup' (installs nats-server) or set WASMBED_NATS_SERVER_BIN.`);
  }
  const apiMain = path.join(root, 'services/api/dist/main.js');
  const gatewayMain = path.join(root, 'services/gateway/dist/main.js');
  const appControllerMain = path.join(root, 'services/app-controller/dist/main.js');
  const deviceControllerMain = path.join(root, 'services/device-controller/dist/main.js');
  const fleetMain = path.join(root, 'emulation/sim-device/dist/cli/sim-fleet.js');
  const k8sSyncMain = path.join(root, 'services/k8s-sync/dist/main.js');
  const pkiLib = path.join(root, 'libs/pki/dist/index.js');
  for (const built of [apiMain, gatewayMain, appControllerMain, deviceControllerMain, fleetMain, pkiLib, ...(kubeconfig ? [k8sSyncMain] : [])]) {
    if (!fs.existsSync(built)) fail(`${path.relative(root, built)} is missing: run 'npm run setup' (or 'npm run build') first.`);
  }
  if (!Number.isInteger(simDevices) || simDevices < 0) fail('WASMBED_SIM_DEVICES must be a whole number (0 for none).');
  const ports = [['NATS', natsPort], ['NATS monitoring', natsMonitorPort], ['api gRPC', apiGrpcPort], ['api HTTP', apiHttpPort], ['gateway TLS', gatewayTlsPort], ['gateway HTTP', gatewayHttpPort], ['app-controller HTTP', appControllerPort], ['device-controller HTTP', deviceControllerPort], ...(kubeconfig ? [['k8s-sync HTTP', k8sSyncPort]] : [])];
  for (const [what, port] of ports) {
    if (!(await portFree(port))) fail(`port ${port} (${what}) is in use. Stop what uses it or set the matching WASMBED_*_PORT variable.`);
  }
  fs.mkdirSync(path.join(dataDir, 'nats'), { recursive: true });
  const admin = ensureAdminToken();
  // Dev CA + gateway server certificate, created once and reused (renewed when due).
  const { ensureDevPki } = require(pkiLib);
  const pki = await ensureDevPki(path.join(dataDir, 'pki'), { gatewayHosts: ['127.0.0.1', 'localhost'] });
  const tokens = JSON.stringify([{ subject: 'dev-admin', role: 'admin', tokenSha256: admin.sha256 }]);

  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));

  start('nats', natsBin, ['-c', path.join(root, 'infra/nats/embedded.conf'), '-p', String(natsPort), '-m', String(natsMonitorPort), '-sd', path.join(dataDir, 'nats')], {});
  await waitForPort(natsPort, 15_000);
  const natsUrl = `nats://127.0.0.1:${natsPort}`;

  start('api', process.execPath, [apiMain], {
    WASMBED_NATS_URL: natsUrl,
    WASMBED_API_GRPC_ADDR: `127.0.0.1:${apiGrpcPort}`,
    WASMBED_API_HTTP_ADDR: `127.0.0.1:${apiHttpPort}`,
    WASMBED_API_TOKENS: tokens,
  });
  start('gateway', process.execPath, [gatewayMain], {
    WASMBED_NATS_URL: natsUrl,
    WASMBED_GATEWAY_ID: 'gateway-1',
    WASMBED_GATEWAY_BIND_ADDR: `127.0.0.1:${gatewayTlsPort}`,
    WASMBED_GATEWAY_HTTP_ADDR: `127.0.0.1:${gatewayHttpPort}`,
    WASMBED_GATEWAY_PRIVATE_KEY: pki.files.serverKey,
    WASMBED_GATEWAY_CERTIFICATE: pki.files.serverCert,
    WASMBED_GATEWAY_CLIENT_CA: pki.files.deviceTrust,
    WASMBED_GATEWAY_ADMIN_TOKENS: tokens,
    WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: String(heartbeatMs),
  });
  start('app-controller', process.execPath, [appControllerMain], {
    WASMBED_NATS_URL: natsUrl,
    WASMBED_APP_CONTROLLER_HTTP_ADDR: `127.0.0.1:${appControllerPort}`,
  });
  start('device-controller', process.execPath, [deviceControllerMain], {
    WASMBED_NATS_URL: natsUrl,
    WASMBED_DEVICE_CONTROLLER_HTTP_ADDR: `127.0.0.1:${deviceControllerPort}`,
    WASMBED_HEARTBEAT_INTERVAL_MS: String(heartbeatMs),
  });
  await waitForPort(apiGrpcPort, 30_000);
  await waitForPort(apiHttpPort, 30_000);
  await waitForPort(appControllerPort, 30_000);
  await waitForPort(deviceControllerPort, 30_000);
  await waitForPort(gatewayTlsPort, 30_000);
  await waitForPort(gatewayHttpPort, 30_000);
  if (kubeconfig) {
    if (!fs.existsSync(kubeconfig)) fail(`WASMBED_KUBECONFIG=${kubeconfig}: no such file.`);
    start('k8s-sync', process.execPath, [k8sSyncMain], {
      WASMBED_API_GRPC: `127.0.0.1:${apiGrpcPort}`,
      WASMBED_API_TOKEN: admin.token,
      WASMBED_K8S_SYNC_PORT: String(k8sSyncPort),
    });
    await waitForPort(k8sSyncPort, 30_000);
  }

  if (simDevices > 0) {
    // Simulated devices have self-signed identities, so the dev stack opens a pairing
    // window (auto-approve) for them to enroll; operators close it with the admin API.
    const res = await fetch(`http://127.0.0.1:${gatewayHttpPort}/admin/pairing`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ enabled: true, durationSeconds: 600 }),
    });
    if (!res.ok) fail(`could not open the pairing window: HTTP ${res.status} ${await res.text()}`);
    start('devices', process.execPath, [fleetMain, '--count', String(simDevices), '--gateway', `127.0.0.1:${gatewayTlsPort}`, '--ca', pki.files.caCert, '--key-dir', path.join(dataDir, 'devices'), '--prefix', 'sim'], {});
  }

  console.log(`
wasmbed: embedded stack is up (data in ${dataDir})
  NATS + JetStream   ${natsUrl}   (monitoring http://127.0.0.1:${natsMonitorPort})
  api gRPC           127.0.0.1:${apiGrpcPort}   (health + reflection on)
  api HTTP           http://127.0.0.1:${apiHttpPort}/api/v1   (/healthz, /metrics)
  dashboard          http://127.0.0.1:${apiHttpPort}/   (sign in with the admin token below)
  gateway TLS 1.3    127.0.0.1:${gatewayTlsPort}   (device protocol, mutual TLS; CA ${pki.files.caCert})
  gateway HTTP       http://127.0.0.1:${gatewayHttpPort}   (/healthz, /metrics, /admin/pairing, /admin/sessions)
  app-controller     http://127.0.0.1:${appControllerPort}   (/healthz, /readyz, /metrics)
  device-controller  http://127.0.0.1:${deviceControllerPort}   (/healthz, /readyz, /metrics)
  k8s-sync           ${kubeconfig ? `http://127.0.0.1:${k8sSyncPort}   (CRDs <-> event log; kubectl apply -k infra/crds first)` : 'off (set WASMBED_KUBECONFIG to sync Device/Application/Gateway custom resources)'}
  simulated devices  ${simDevices} (WASMBED_SIM_DEVICES), enrolled through a 10-minute pairing window
  admin token        ${admin.file}   (send as "authorization: Bearer <token>")
Try (in another terminal, at the repository root; the CLI finds the token in .wasmbed/admin.token):
  npx wasmbed device list --api 127.0.0.1:${apiGrpcPort}
  npx wasmbed keys generate --out publisher.key
  npx wasmbed app create hello --wasm emulation/apps/dist/wasm/hello.wasm --key publisher.key --all --api 127.0.0.1:${apiGrpcPort}
  npx wasmbed app deploy hello --api 127.0.0.1:${apiGrpcPort} && npx wasmbed app status hello --watch --api 127.0.0.1:${apiGrpcPort}
  curl -s -H "authorization: Bearer $(cat ${admin.file})" http://127.0.0.1:${apiHttpPort}/api/v1/devices
Ctrl-C stops everything.`);
}

main().catch((err) => { console.error(`wasmbed: ${err.message}`); shutdown(1); });
