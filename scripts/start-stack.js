#!/usr/bin/env node
// The embedded stack: a local nats-server with JetStream in the data dir and every
// Wasmbed service built so far, each as its own process. Ctrl-C stops all cleanly.
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
  return { file, sha256: crypto.createHash('sha256').update(token).digest('hex') };
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
  if (!fs.existsSync(apiMain)) fail("services are not built. Run 'npm run setup' (or 'npm run build') first.");
  for (const [what, port] of [['NATS', natsPort], ['NATS monitoring', natsMonitorPort], ['api gRPC', apiGrpcPort], ['api HTTP', apiHttpPort]]) {
    if (!(await portFree(port))) fail(`port ${port} (${what}) is in use. Stop what uses it or set the matching WASMBED_*_PORT variable.`);
  }
  fs.mkdirSync(path.join(dataDir, 'nats'), { recursive: true });
  const admin = ensureAdminToken();

  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));

  start('nats', natsBin, ['-c', path.join(root, 'infra/nats/embedded.conf'), '-p', String(natsPort), '-m', String(natsMonitorPort), '-sd', path.join(dataDir, 'nats')], {});
  await waitForPort(natsPort, 15_000);
  const natsUrl = `nats://127.0.0.1:${natsPort}`;

  start('api', process.execPath, [apiMain], {
    WASMBED_NATS_URL: natsUrl,
    WASMBED_API_GRPC_ADDR: `127.0.0.1:${apiGrpcPort}`,
    WASMBED_API_HTTP_ADDR: `127.0.0.1:${apiHttpPort}`,
    WASMBED_API_TOKENS: JSON.stringify([{ subject: 'dev-admin', role: 'admin', tokenSha256: admin.sha256 }]),
  });
  await waitForPort(apiGrpcPort, 30_000);
  await waitForPort(apiHttpPort, 30_000);

  console.log(`
wasmbed: embedded stack is up (data in ${dataDir})
  NATS + JetStream   ${natsUrl}   (monitoring http://127.0.0.1:${natsMonitorPort})
  api gRPC           127.0.0.1:${apiGrpcPort}   (health + reflection on)
  api HTTP           http://127.0.0.1:${apiHttpPort}/api/v1   (/healthz, /metrics)
  admin token        ${admin.file}   (send as "authorization: Bearer <token>")
Try:
  curl -s -H "authorization: Bearer $(cat ${admin.file})" http://127.0.0.1:${apiHttpPort}/api/v1/devices
Ctrl-C stops everything.`);
}

main().catch((err) => { console.error(`wasmbed: ${err.message}`); shutdown(1); });
