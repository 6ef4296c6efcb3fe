import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { deviceLogSubject, encodeDeviceLog } from '@wasmbed/device-bus';
import { exampleAppPath } from '@wasmbed/example-apps';
import { createClient } from '@wasmbed/grpc-kit';
import { generateEd25519KeyPair } from '@wasmbed/pki';
import { GatewayServiceClient } from '@wasmbed/proto';
import { freePort, withNats } from '@wasmbed/testing';
import { runCliProcess, spawnCli, startApiProcess, type ApiProcess, type CliResult, type TestToken } from './test-support/processes';

jest.setTimeout(120_000);

const admin: TestToken = { subject: 'cli-admin', role: 'admin', token: randomBytes(24).toString('base64url') };
const viewer: TestToken = { subject: 'cli-viewer', role: 'viewer', token: randomBytes(24).toString('base64url') };

describe('wasmbed CLI against the real api', () => {
  const nats = withNats();
  let api: ApiProcess;
  let dir: string;

  beforeAll(async () => {
    api = await startApiProcess(nats().url, [admin, viewer]);
    dir = await mkdtemp(join(tmpdir(), 'wasmbed-cli-'));
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The CLI as an admin would run it: token in the environment, address by flag. */
  const wasmbed = (...args: string[]): Promise<CliResult> => runCliProcess(['--api', api.grpcAddress, ...args], { env: { WASMBED_TOKEN: admin.token }, cwd: dir });
  const json = (result: CliResult): unknown => {
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    return JSON.parse(result.stdout);
  };

  describe('devices', () => {
    const key = generateEd25519KeyPair();

    it('registers a device and shows it in list and show, as JSON and as a table', async () => {
      const registered = await wasmbed('device', 'register', 'dev-1', '--public-key', key.publicKeyHex, '--board', 'nrf52840dk', '--arch', 'thumbv7em', '--label', 'env=prod', '--label', 'site=lab');
      expect(registered).toMatchObject({ code: 0, stderr: '' });
      expect(registered.stdout).toMatch(/^device dev-1 registered \(pending until it connects; version \d+\)\n$/);

      const listed = json(await wasmbed('device', 'list', '--json')) as { devices: Record<string, unknown>[] };
      expect(listed.devices).toEqual([
        expect.objectContaining({ name: 'dev-1', phase: 'DEVICE_PHASE_PENDING', board: 'nrf52840dk', architecture: 'thumbv7em', labels: { env: 'prod', site: 'lab' } }),
      ]);
      const shown = json(await wasmbed('device', 'show', 'dev-1', '--json')) as { publicKey: string };
      expect(Buffer.from(shown.publicKey, 'base64').toString('hex')).toBe(key.publicKeyHex);

      const table = await wasmbed('device', 'list', '--selector', 'env=prod', '--phase', 'pending');
      expect(table.code).toBe(0);
      expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+PHASE\s+BOARD\s+ARCH\s+GATEWAY\s+LABELS\s+LAST SEEN$/);
      expect(table.stdout).toMatch(/dev-1\s+pending\s+nrf52840dk\s+thumbv7em\s+-\s+env=prod,site=lab\s+-/);
      expect((await wasmbed('device', 'list', '--selector', 'env=dev')).stdout).toBe('No devices.\n');
    });

    it('registers from a device key file (PEM private key) and edits labels', async () => {
      const deviceKey = generateEd25519KeyPair();
      const keyFile = join(dir, 'dev-2.key');
      await writeFile(keyFile, deviceKey.privateKeyPem);
      expect((await wasmbed('device', 'register', 'dev-2', '--key-file', keyFile, '--board', 'esp32c3', '--arch', 'riscv32imc', '--label', 'env=dev')).code).toBe(0);
      const labelled = await wasmbed('device', 'label', 'dev-2', 'site=lab-2', 'env-');
      expect(labelled.stdout).toMatch(/^device dev-2 labels: site=lab-2 \(version \d+\)\n$/);
      const shown = json(await wasmbed('device', 'show', 'dev-2', '--json')) as { publicKey: string; labels: Record<string, string> };
      expect(shown.labels).toEqual({ site: 'lab-2' });
      expect(Buffer.from(shown.publicKey, 'base64')).toEqual(Buffer.from(deviceKey.publicKey));
    });

    it("passes the server's refusal through with exit 1", async () => {
      const again = await wasmbed('device', 'register', 'dev-1', '--public-key', key.publicKeyHex, '--board', 'b', '--arch', 'a');
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^wasmbed: .*dev-1.*already exists.*\n$/);
      const approve = await wasmbed('device', 'approve', 'dev-1');
      expect(approve.code).toBe(1);
      expect(approve.stderr).toMatch(/cannot ApproveDevice: device 'dev-1' is Pending/);
      const missing = await wasmbed('device', 'show', 'nope', '--json');
      expect(missing.code).toBe(1);
      expect(JSON.parse(missing.stderr)).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
    });
  });

  describe('pairing', () => {
    beforeAll(async () => {
      const gateways = createClient(GatewayServiceClient, api.grpcAddress, { token: admin.token });
      await new Promise<void>((done, fail) =>
        gateways.registerGateway({ commandId: '', expectedVersion: 0, name: 'gw-1', endpoint: '127.0.0.1:4423', region: 'lab', capacity: 10, heartbeatIntervalSeconds: 0, enrollmentTimeoutSeconds: 0 }, (err) =>
          err ? fail(err) : done(),
        ),
      );
      gateways.close();
    });

    it('turns pairing on for a while, reports it, and turns it off', async () => {
      const on = await wasmbed('pairing', 'on', '--duration', '10m');
      expect(on.code).toBe(0);
      expect(on.stdout).toMatch(/^GATEWAY\s+PAIRING\s+UNTIL\ngw-1\s+on\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n$/);

      const status = json(await wasmbed('pairing', 'status', '--json')) as { gateways: { gateway: string; enabled: boolean; until: string }[] };
      expect(status.gateways).toEqual([{ gateway: 'gw-1', enabled: true, until: expect.any(String) }]);
      const minutesLeft = (Date.parse(status.gateways[0]!.until) - Date.now()) / 60_000;
      expect(minutesLeft).toBeGreaterThan(9);
      expect(minutesLeft).toBeLessThanOrEqual(10);

      expect((await wasmbed('pairing', 'off', '--gateway', 'gw-1')).code).toBe(0);
      expect((await wasmbed('pairing', 'status')).stdout).toMatch(/gw-1\s+registered\s+off/);
      expect((await wasmbed('gateway', 'list')).stdout).toMatch(/gw-1\s+registered\s+127\.0\.0\.1:4423\s+lab\s+0\/10\s+off/);
    });
  });

  describe('keys and applications', () => {
    it('generates a key file readable by its owner only, and never overwrites it without --force', async () => {
      const keyFile = join(dir, 'publisher.key');
      const first = await wasmbed('keys', 'generate', '--out', keyFile);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^[0-9a-f]{64}\n$/);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      expect((await wasmbed('keys', 'public', '--key', keyFile)).stdout).toBe(first.stdout);

      const refused = await wasmbed('keys', 'generate', '--out', keyFile);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('already exists; pass --force to overwrite it');
      const pem = await readFile(keyFile, 'utf8');
      const forced = await wasmbed('keys', 'generate', '--out', keyFile, '--force');
      expect(forced.code).toBe(0);
      expect(await readFile(keyFile, 'utf8')).not.toBe(pem);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    });

    it('creates an application from a real module, shows it, deploys it and watches the rollout end', async () => {
      const keyFile = join(dir, 'apps.key');
      const publicKey = (await wasmbed('keys', 'generate', '--out', keyFile)).stdout.trim();
      const wasm = exampleAppPath('hello');
      const created = await wasmbed('app', 'create', 'hello', '--wasm', wasm, '--key', keyFile, '--selector', 'env=nowhere', '--memory', '128KiB', '--env', 'greeting=hi', '--json');
      expect(created.code).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject({ name: 'hello', revision: 1, publisherKey: publicKey });

      const app = json(await wasmbed('app', 'show', 'hello', '--json')) as {
        latestRevision: number;
        revisions: { spec: { module: { sha256: string }; publisherKey: string; requiredHostFunctions: string[]; config: { memoryLimitBytes: number; env: Record<string, string> } } }[];
      };
      expect(app.latestRevision).toBe(1);
      const spec = app.revisions[0]!.spec;
      expect(Buffer.from(spec.module.sha256, 'base64').toString('hex')).toBe(createHash('sha256').update(await readFile(wasm)).digest('hex'));
      expect(Buffer.from(spec.publisherKey, 'base64').toString('hex')).toBe(publicKey);
      expect(spec.requiredHostFunctions).toEqual(['wasmbed.config_get', 'wasmbed.log', 'wasmbed.sensor_read', 'wasmbed.sleep_ms']);
      expect(spec.config).toMatchObject({ memoryLimitBytes: 131_072, env: { greeting: 'hi' } });

      const updated = await wasmbed('app', 'update', 'hello', '--wasm', exampleAppPath('counter'), '--key', keyFile, '--json');
      expect(JSON.parse(updated.stdout)).toMatchObject({ name: 'hello', revision: 2 });
      const table = await wasmbed('app', 'show', 'hello');
      expect(table.stdout).toMatch(/^2\s+.*128 KiB\s+selector env=nowhere\s+never deployed$/m);

      // No device matches the selector: the rollout has no targets and completes at once (no controllers needed).
      const deployed = await wasmbed('app', 'deploy', 'hello', '--wait');
      expect(deployed.stdout).toContain('application hello: rollout of revision 2 started');
      expect(deployed.stdout).toContain('rollout of hello revision 2 completed');
      expect(deployed.code).toBe(0);
      const watched = await wasmbed('app', 'status', 'hello', '--watch');
      expect(watched.code).toBe(0);
      expect(watched.stdout).toMatch(/hello rev 2 {2}\[#+\] 0\/0 settled {2}no waves/);
      const listed = await wasmbed('app', 'list');
      expect(listed.stdout).toMatch(/hello\s+running\s+2\s+2\s+completed\s+0\/0/);

      // Strategy flags on deploy: this rollout only, the other values from the revision.
      const paced = await wasmbed('app', 'deploy', 'hello', '--revision', '1', '--canary', '2', '--failure-threshold', '25%', '--json');
      expect(paced.code).toBe(0);
      const shown = json(await wasmbed('app', 'show', 'hello', '--json')) as { revisions: { spec: { strategy?: unknown }; rollout?: { strategy: unknown } }[] };
      expect(shown.revisions[0]!.rollout?.strategy).toMatchObject({ canary: 2, failureThresholdPercent: 25 });
      expect(shown.revisions[0]!.spec.strategy).not.toMatchObject({ canary: 2 });
    });

    it('checks the module and the entry point before calling the api', async () => {
      const keyFile = join(dir, 'checks.key');
      expect((await wasmbed('keys', 'generate', '--out', keyFile)).code).toBe(0);
      const junk = join(dir, 'junk.wasm');
      await writeFile(junk, 'not a module');
      const invalid = await wasmbed('app', 'create', 'junk', '--wasm', junk, '--key', keyFile, '--all');
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain(`wasmbed: ${junk} is not a valid WebAssembly module`);
      const entry = await wasmbed('app', 'create', 'junk', '--wasm', exampleAppPath('counter'), '--key', keyFile, '--all', '--entry', 'main');
      expect(entry.code).toBe(1);
      expect(entry.stderr).toMatch(/exports no function 'main' \(it exports run\); pass --entry/);
      expect((await wasmbed('app', 'show', 'junk')).stderr).toMatch(/not found/);
    });
  });

  describe('failures say what to do', () => {
    it('wrong address: the api cannot be reached (exit 1)', async () => {
      const closed = await freePort();
      const result = await runCliProcess(['--api', `127.0.0.1:${closed}`, 'device', 'list'], { env: { WASMBED_TOKEN: admin.token } });
      expect(result).toEqual({ code: 1, stdout: '', stderr: `wasmbed: cannot reach the api at 127.0.0.1:${closed} (is the stack running? \`npm start\`; or set --api)\n` });
    });

    it('wrong or missing token: unauthenticated (exit 1), and the token is never printed', async () => {
      const wrong = await runCliProcess(['--api', api.grpcAddress, '--token', 'not-a-token', 'device', 'list']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toBe(`wasmbed: token missing or not accepted by the api at ${api.grpcAddress} (set WASMBED_TOKEN or --token-file)\n`);
      const none = await runCliProcess(['--api', api.grpcAddress, 'device', 'list'], { cwd: dir });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('token missing or not accepted');
      const viewerResult = await runCliProcess(['--api', api.grpcAddress, 'device', 'revoke', 'dev-1', '--reason', 'x'], { env: { WASMBED_TOKEN: viewer.token } });
      expect(viewerResult.code).toBe(1);
      expect(viewerResult.stderr).toBe('wasmbed: permission denied: RevokeDevice needs the operator role or higher; use a token with that role\n');
      for (const r of [wrong, none, viewerResult]) {
        expect(r.stderr + r.stdout).not.toContain(viewer.token);
        expect(r.stderr + r.stdout).not.toContain('not-a-token');
      }
    });

    it('finds the token in --token-file and in .wasmbed/admin.token of the working directory', async () => {
      const project = await mkdtemp(join(tmpdir(), 'wasmbed-cli-cwd-'));
      try {
        await mkdir(join(project, '.wasmbed'));
        await writeFile(join(project, '.wasmbed', 'admin.token'), `${admin.token}\n`, { mode: 0o600 });
        const byDefault = await runCliProcess(['--api', api.grpcAddress, 'gateway', 'list', '--json'], { cwd: project });
        expect((json(byDefault) as { gateways: unknown[] }).gateways).toEqual(expect.any(Array));
        await writeFile(join(project, 'viewer.token'), viewer.token);
        const byFile = await runCliProcess(['--api', api.grpcAddress, '--token-file', 'viewer.token', 'device', 'approve', 'dev-1'], { cwd: project });
        expect(byFile.stderr).toContain('needs the operator role');
        const missingFile = await runCliProcess(['--api', api.grpcAddress, '--token-file', 'absent.token', 'device', 'list'], { cwd: project });
        expect(missingFile.code).toBe(1);
        expect(missingFile.stderr).toMatch(/cannot read the token file .*absent\.token/);
      } finally {
        await rm(project, { recursive: true, force: true });
      }
    });

    it('a bad flag is a usage error (exit 2) naming the flag', async () => {
      const result = await wasmbed('device', 'list', '--selectr', 'env=prod');
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("wasmbed: unknown flag --selectr\nrun 'wasmbed device list --help' for usage\n");
    });
  });

  describe('logs and admin', () => {
    beforeAll(async () => {
      const key = generateEd25519KeyPair();
      expect((await wasmbed('device', 'register', 'log-dev', '--public-key', key.publicKeyHex, '--board', 'b', '--arch', 'a')).code).toBe(0);
    });

    it('prints stored log lines (none yet) and ends without --follow', async () => {
      const result = await wasmbed('logs', '--device', 'log-dev', '--tail', '5');
      expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('prints the lines gateways published, oldest first, and follows new ones with -f', async () => {
      const nc = await connect({ servers: nats().url });
      // As a gateway forwards an app's log line: core NATS on the device's log subject.
      const publish = (message: string, level: 'info' | 'warn', deviceTimeMs: number) =>
        nc.publish(
          deviceLogSubject('log-dev'),
          encodeDeviceLog({ deviceId: 'log-dev', gatewayId: 'gw-1', sessionId: 's-1', at: new Date().toISOString(), appId: 'hello', level, message, deviceTimeMs }),
        );
      const follower = spawnCli(['--api', api.grpcAddress, 'logs', '--app', 'hello', '-f', '--tail', '10'], { env: { WASMBED_TOKEN: admin.token } });
      try {
        publish('first', 'info', Date.parse('2026-01-02T03:04:05.006Z'));
        publish('second', 'warn', Date.parse('2026-01-02T03:04:06.000Z'));
        await nc.flush();
        await follower.waitForOutput('second');

        const stored = await wasmbed('logs', '--device', 'log-dev', '--tail', '10');
        expect(stored).toEqual({
          code: 0,
          stdout: '2026-01-02T03:04:05.006Z log-dev hello INFO  first\n2026-01-02T03:04:06.000Z log-dev hello WARN  second\n',
          stderr: '',
        });
        const lastOne = json(await wasmbed('logs', '--device', 'log-dev', '--tail', '1', '--json')) as Record<string, unknown>;
        expect(lastOne).toMatchObject({ deviceName: 'log-dev', application: 'hello', level: 'LOG_LEVEL_WARN', message: 'second', gateway: 'gw-1' });

        publish('third', 'info', Date.parse('2026-01-02T03:04:07.000Z'));
        await follower.waitForOutput('2026-01-02T03:04:07.000Z log-dev hello INFO  third\n');
        expect(follower.stdout().split('\n').filter(Boolean)).toHaveLength(3);
      } finally {
        follower.child.kill('SIGINT');
        await follower.done;
        await nc.close();
      }
    });

    it('rebuilds the read models', async () => {
      const devices = (json(await wasmbed('device', 'list', '--json')) as { devices: unknown[] }).devices.length;
      const result = json(await wasmbed('admin', 'rebuild-read-models', '--json')) as Record<string, number>;
      expect(result).toMatchObject({ devices });
      expect(result.eventsReplayed).toBeGreaterThan(0);
    });
  });
});
