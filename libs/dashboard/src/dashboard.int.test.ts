/**
 * The dashboard in real Chromium against the real api (built, run as its own
 * process) and a real nats-server: token prompt, fleet, rollouts, live updates,
 * pairing mode, approvals, a thousand devices, a restart of the api.
 */
import { request } from 'node:http';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { JetStreamEventStore } from '@wasmbed/event-log';
import { createClient } from '@wasmbed/grpc-kit';
import { ApplicationServiceClient, CreateApplicationRequest, DeviceServiceClient, GatewayServiceClient, RegisterDeviceRequest } from '@wasmbed/proto';
import { moduleSha256 } from '@wasmbed/protocol';
import { openDomainEventStore } from '@wasmbed/service-kit';
import { call, eventually, signedApplicationSpec } from '@wasmbed/testing';
import type { Browser, Page } from 'playwright-core';
import { DASHBOARD_ASSETS_DIR, dashboardAsset } from './index';
import { startApiProcess, type ApiUnderTest } from './test-support/api-process';
import { launchChromium, openPage, textOf, type WatchedPage } from './test-support/browser';
import { connectDevice, publicKeyOf, recordOutcomes, registerDevice, requestPairing } from './test-support/fleet';

/** The smallest valid WebAssembly module: the api checks validity, nothing runs it here. */
const MODULE = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const SCREENSHOT = '/tmp/dashboard.png';

let api: ApiUnderTest;
let browser: Browser;
let nc: NatsConnection;
let store: JetStreamEventStore;
let devices: DeviceServiceClient;
let operator: WatchedPage;

const registerViaGrpc = (name: string, labels: Record<string, string>, board = 'nrf52840dk') =>
  call((done) => devices.registerDevice(RegisterDeviceRequest.fromPartial({ name, publicKey: Buffer.from(publicKeyOf(name), 'hex'), board, architecture: 'thumbv7em', labels }), done));

async function seed(): Promise<void> {
  const gateways = createClient(GatewayServiceClient, api.grpcAddress, { token: api.tokens.admin });
  const apps = createClient(ApplicationServiceClient, api.grpcAddress, { token: api.tokens.operator });
  try {
    for (const [name, region] of [['gw-eu-1', 'eu'], ['gw-us-1', 'us']] as const) {
      await call((done) => gateways.registerGateway({ commandId: '', expectedVersion: 0, name, endpoint: `${name}.lab:4423`, region, capacity: 50, heartbeatIntervalSeconds: 0, enrollmentTimeoutSeconds: 0 }, done));
    }
    const fleet = ['sensor-01', 'sensor-02', 'sensor-03', 'sensor-04', 'relay-01', 'relay-02'];
    for (const [i, name] of fleet.entries()) await registerViaGrpc(name, { env: i < 4 ? 'prod' : 'lab', site: `s${i % 2}` }, i < 4 ? 'nrf52840dk' : 'esp32c3');
    for (const [i, name] of fleet.slice(0, 5).entries()) await connectDevice(store, name, i % 2 === 0 ? 'gw-eu-1' : 'gw-us-1');
    await requestPairing(store, 'intruder-7f', 'gw-eu-1');
    await requestPairing(store, 'intruder-8a', 'gw-us-1');

    const targets = { kind: { $case: 'deviceNames' as const, value: { names: fleet.slice(0, 4) } } };
    // One wave that tolerates one failure, so the rollout is still in progress with a failing device.
    const strategy = { canary: 0, batch: { $case: 'batchPercent' as const, value: 100 }, healthGateSeconds: 0, failureThreshold: 1 };
    const spec = signedApplicationSpec({ name: 'hello', revision: 1, module: MODULE, publisherSeed: new Uint8Array(32).fill(9), requiredHostFunctions: [], targets, strategy, memoryLimitBytes: 65_536 });
    await call((done) => apps.createApplication(CreateApplicationRequest.fromPartial({ name: 'hello', spec }), done));
    await call((done) => apps.deployApplication({ commandId: '', expectedVersion: 0, name: 'hello', revision: 0 }, done));
    const sha256 = Buffer.from(moduleSha256(MODULE)).toString('hex');
    await recordOutcomes(store, 'hello', 1, [
      { device: 'sensor-01', kind: 'running', sha256 },
      { device: 'sensor-02', kind: 'running', sha256 },
      { device: 'sensor-03', kind: 'failed', reason: 'trap: unreachable executed' },
    ]);
    const idle = signedApplicationSpec({ name: 'blinky', revision: 1, module: MODULE, publisherSeed: new Uint8Array(32).fill(9), requiredHostFunctions: [], targets, memoryLimitBytes: 65_536 });
    await call((done) => apps.createApplication(CreateApplicationRequest.fromPartial({ name: 'blinky', spec: idle }), done));
  } finally {
    gateways.close();
    apps.close();
  }
}

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.httpBase}${path}`, { method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${api.httpBase}/`);
  expect(page.url()).toBe(`${api.httpBase}/dashboard/index.html`);
  await page.locator('#token').fill(token);
  await page.locator('#login-form button[type=submit]').click();
}

/** Waits until `selector`'s text satisfies `check` (the page updates from the event stream). */
function textEventually(page: Page, selector: string, check: (text: string) => boolean, what: string): Promise<string> {
  return eventually(what, async () => {
    const text = await textOf(page, selector);
    return check(text) ? text : undefined;
  }, 15_000, () => api.logs());
}

const filterTo = async (page: Page, query: string) => page.locator('#device-filter').fill(query);

beforeAll(async () => {
  api = await startApiProcess();
  nc = await connect({ servers: api.nats.url });
  store = await openDomainEventStore(nc);
  devices = createClient(DeviceServiceClient, api.grpcAddress, { token: api.tokens.operator });
  await eventually('the api to be ready', async () => (await fetch(`${api.httpBase}/readyz`)).ok, 30_000, () => api.logs());
  await seed();
  browser = await launchChromium();
  operator = await openPage(browser);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  devices?.close();
  await store?.close();
  await nc?.drain();
  await api?.close();
}, 60_000);

describe('serving the dashboard', () => {
  it('sends / to the page and serves each asset with its type, a validator and a CSP', async () => {
    const root = await rawGet('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/dashboard/index.html');
    const page = await rawGet('/dashboard/index.html');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toBe(dashboardAsset('index.html')!.body.toString('utf8'));
    const script = await rawGet('/dashboard/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('no-cache');
    const again = await rawGet('/dashboard/app.js', { 'if-none-match': String(script.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it.each([
    '/dashboard/../../../libs/dashboard/package.json',
    '/dashboard/..%2Fpackage.json',
    '/dashboard/%2e%2e%2f%2e%2e%2fpackage.json',
    '/dashboard/%2Fetc%2Fpasswd',
    '/dashboard/assets%2Fapp.js',
    '/dashboard/app.js%00',
    '/dashboard/',
    '/dashboard/sub/app.js',
    '/dashboard/tsconfig.json',
  ])('serves nothing outside the allow-list: %s', async (path) => {
    const res = await rawGet(path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('"name"');
    expect(res.body).not.toContain('root:');
  });

  it('assets come from the package directory', () => {
    expect(DASHBOARD_ASSETS_DIR).toMatch(/libs\/dashboard\/assets$/);
  });
});

describe('the dashboard in Chromium', () => {
  it('refuses a wrong token with a clear message, and a viewer may look but not switch pairing mode', async () => {
    const viewer = await openPage(browser);
    try {
      await signIn(viewer.page, 'not-a-token');
      await textEventually(viewer.page, '#login-error', (t) => t.includes('401'), 'the 401 message');
      expect(await viewer.page.locator('#dashboard').isHidden()).toBe(true);
      expect(await viewer.page.evaluate("sessionStorage.getItem('wasmbed.dashboard.token')")).toBeNull();

      await viewer.page.locator('#token').fill(api.tokens.viewer);
      await viewer.page.locator('#login-form button[type=submit]').click();
      await viewer.page.locator('#live[data-state="live"]').waitFor();
      await viewer.page.locator('[data-action="pairing-on"]').click();
      await textEventually(viewer.page, '.toast-error', (t) => t.includes('403'), 'the 403 message');
      // The browser logs each refused request; nothing else may be logged.
      expect(viewer.errors.filter((e) => !/status of (401|403)/.test(e))).toEqual([]);
    } finally {
      await viewer.context.close();
    }
  });

  it('asks for a token once, then shows the fleet, the rollouts and the gateways', async () => {
    const { page } = operator;
    expect(await page.locator('#login').isVisible()).toBe(false);
    await page.goto(`${api.httpBase}/`);
    expect(await page.locator('#login').isVisible()).toBe(true);
    await signIn(page, api.tokens.operator);
    await page.locator('#live[data-state="live"]').waitFor();
    await textEventually(page, '.tile:nth-child(1) .tile-value', (t) => t === '8', 'eight devices in the summary');
    expect(await textOf(page, '.tile:nth-child(1)')).toContain('5 connected');
    expect(await textOf(page, '.tile:nth-child(2) .tile-value')).toBe('2');
    expect(await textOf(page, '.tile:nth-child(3) .tile-value')).toBe('0 / 2');
    expect(await textOf(page, '.tile:nth-child(4) .tile-value')).toBe('2');

    const row = await textOf(page, '[data-device="sensor-01"]');
    expect(row).toContain('connected');
    expect(row).toContain('nrf52840dk');
    expect(row).toContain('gw-eu-1');
    expect(row).toContain('env=prod');
    const shortHash = Buffer.from(moduleSha256(MODULE)).toString('hex').slice(0, 8);
    expect(row).toContain(`hello r1 ${shortHash}`);

    const rollout = await textOf(page, '[data-application="hello"] .rollout[data-revision="1"]');
    for (const part of ['in progress', '2 running', '1 pending', '1 failed', 'of 4 targets', 'wave 1 of 1', 'sensor-03', 'trap: unreachable executed', shortHash]) {
      expect(rollout).toContain(part);
    }
    expect(await textOf(page, '[data-application="blinky"]')).toContain('No rollout yet');
    expect(await textOf(page, '[data-gateway="gw-eu-1"]')).toContain('3 / 50');
    expect(await textOf(page, '#pending')).toContain('intruder-7f');

    // The token is asked once per tab: a reload goes straight to the fleet.
    await page.reload();
    await page.locator('#live[data-state="live"]').waitFor();
    expect(await page.locator('#login').isHidden()).toBe(true);
    await page.locator('[data-device="sensor-01"]').waitFor();
  });

  it('shows a device registered after loading without a reload', async () => {
    const { page } = operator;
    expect(await page.locator('[data-device="late-01"]').count()).toBe(0);
    await registerViaGrpc('late-01', { env: 'prod' });
    await page.locator('[data-device="late-01"]').waitFor({ timeout: 10_000 });
    await textEventually(page, '.tile:nth-child(1) .tile-value', (t) => t === '9', 'nine devices');
    expect(await textOf(page, '#device-count')).toBe('9 devices');
  });

  it('switches pairing mode on and off on every gateway', async () => {
    const { page } = operator;
    await page.locator('[data-pairing="off"]').waitFor();
    await page.locator('[data-action="pairing-on"]').click();
    // Each gateway is its own command: the stream brings one change after the other.
    await textEventually(page, '#pairing', (t) => /on 2 of 2 gateways · closes in (9|10) min/.test(t), 'pairing on at both gateways');
    const status = (await (await fetch(`${api.httpBase}/api/v1/pairing`, { headers: { authorization: `Bearer ${api.tokens.viewer}` } })).json()) as { gateways: { enabled: boolean }[] };
    expect(status.gateways.map((g) => g.enabled)).toEqual([true, true]);
    await textEventually(page, '[data-gateway="gw-us-1"] .pairing-cell', (t) => t.startsWith('on'), 'gw-us-1 pairing on');

    await page.locator('[data-action="gateway-pairing"][data-gateway="gw-us-1"]').click();
    await textEventually(page, '[data-gateway="gw-us-1"] .pairing-cell', (t) => t.startsWith('off'), 'gw-us-1 pairing off');
    expect(await textOf(page, '#pairing')).toContain('on 1 of 2 gateways');

    await page.locator('[data-action="pairing-off"]').click();
    await page.locator('[data-pairing="off"]').waitFor({ timeout: 10_000 });
  });

  it('approves one waiting device and rejects another with a reason', async () => {
    const { page } = operator;
    await page.locator('[data-action="approve"][data-device="intruder-7f"]').click();
    await eventually('intruder-7f to leave the approval list', async () => (await page.locator('#pending [data-device="intruder-7f"]').count()) === 0);
    await filterTo(page, 'intruder-7f');
    await textEventually(page, '[data-device="intruder-7f"]', (t) => t.includes('enrolled'), 'intruder-7f enrolled');

    await page.locator('[data-action="reject"][data-device="intruder-8a"]').click();
    await page.locator('#reason-dialog').waitFor();
    await page.locator('#reason-input').fill('unknown hardware');
    await page.locator('#reason-form button[type=submit]').click();
    await textEventually(page, '#pending', (t) => t.includes('No device is waiting'), 'an empty approval list');
    await filterTo(page, 'intruder');
    await textEventually(page, '[data-device="intruder-8a"]', (t) => t.includes('revoked'), 'intruder-8a revoked');
    expect(await textOf(page, '.tile:nth-child(2) .tile-value')).toBe('0');
  });

  it('pauses and resumes a rollout, deploys a revision, and shows why a rollback is refused', async () => {
    const { page } = operator;
    const hello = '[data-application="hello"]';
    await page.locator(`${hello} [data-action="pause"]`).click();
    await textEventually(page, `${hello} .rollout[data-revision="1"]`, (t) => t.includes('paused'), 'hello paused');
    await page.locator(`${hello} [data-action="resume"]`).click();
    await textEventually(page, `${hello} .rollout[data-revision="1"]`, (t) => t.includes('in progress'), 'hello in progress again');

    const blinky = '[data-application="blinky"]';
    await page.locator(`${blinky} [data-action="deploy"]`).click();
    await textEventually(page, `${blinky} .rollout[data-revision="1"]`, (t) => t.includes('in progress') && t.includes('of 4 targets'), 'blinky rolling out');
    // No revision of blinky ever completed: the api refuses, and the toast says why.
    await page.locator(`${blinky} [data-action="rollback"]`).click();
    await page.locator('#reason-dialog').waitFor();
    await page.locator('#reason-input').fill('bad canary');
    await page.locator('#reason-form button[type=submit]').click();
    await textEventually(page, '.toast-error', (t) => t.includes('failed_precondition'), 'the refused rollback');
    // The browser logs the refused request; that one line is expected, nothing else.
    const refused = operator.errors.filter((e) => /status of 400/.test(e));
    expect(refused).toHaveLength(1);
    operator.errors.splice(operator.errors.indexOf(refused[0]), 1);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator(`${blinky} [data-action="stop"]`).click();
    await textEventually(page, '.toast-ok', (t) => t.includes('stopping blinky'), 'the stop accepted');
  });

  it('filters the devices table by name, label and phase', async () => {
    const { page } = operator;
    await filterTo(page, 'sensor env=prod');
    await textEventually(page, '#device-count', (t) => t === '4 of 9', 'four sensors');
    await filterTo(page, 'esp32c3');
    await textEventually(page, '#device-count', (t) => t === '2 of 9', 'two esp32 boards');
    await filterTo(page, '');
    await page.locator('#device-phase').selectOption('revoked');
    await textEventually(page, '#device-count', (t) => t === '1 of 9', 'one revoked device');
    expect(await page.locator('.vt-body [data-device]').count()).toBe(1);
    await page.locator('#device-phase').selectOption('');
    await filterTo(page, 'nothing-matches-this');
    await textEventually(page, '#devices', (t) => t.includes('No device matches the filter.'), 'the empty filter message');
    await filterTo(page, '');
    expect(operator.errors).toEqual([]);
  });

  it('stays responsive with a thousand more devices, drawing only the rows in view', async () => {
    const { page } = operator;
    const names = Array.from({ length: 1000 }, (_, i) => `fleet-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name, j) => registerDevice(store, name, { env: 'fleet', rack: `r${(i + j) % 20}` }, 'esp32c3')));
    }
    await textEventually(page, '#device-count', (t) => t === '1,009 devices', 'all 1,009 devices');
    expect(await textOf(page, '.tile:nth-child(1) .tile-value')).toBe('1,009');
    expect(await page.locator('.vt-body [data-device]').count()).toBeLessThan(60);

    // A frame still comes promptly while the table is full.
    const frameMs = await page.evaluate<number>('new Promise((resolve) => { const t = performance.now(); requestAnimationFrame(() => resolve(performance.now() - t)); })');
    expect(frameMs).toBeLessThan(200);

    await page.locator('.vt-viewport').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator('[data-device="sensor-04"]').waitFor();
    expect(await page.locator('.vt-body [data-device]').count()).toBeLessThan(60);
    await page.locator('.vt-viewport').evaluate((el) => el.scrollTo(0, 0));

    await filterTo(page, 'fleet-0999');
    await textEventually(page, '#device-count', (t) => t === '1 of 1,009', 'one match among 1,009');
    await filterTo(page, 'rack=r7');
    await textEventually(page, '#device-count', (t) => t === '50 of 1,009', 'fifty devices in rack r7');
    await filterTo(page, '');
    await page.locator('.vt-viewport').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(operator.errors).toEqual([]);
  });

  it('shows that it reconnects when the api restarts, then catches up', async () => {
    const { page } = operator;
    await api.stop();
    await page.locator('#live[data-state="reconnecting"]').waitFor({ timeout: 15_000 });
    expect(await textOf(page, '#live')).toMatch(/Reconnecting in \d+ s/);
    // Written while the api is down; the new stream's snapshot brings it.
    await registerDevice(store, 'while-down', { env: 'lab' });
    await api.restart();
    await page.locator('#live[data-state="live"]').waitFor({ timeout: 40_000 });
    await filterTo(page, 'while-down');
    await page.locator('[data-device="while-down"]').waitFor({ timeout: 15_000 });
    await textEventually(page, '.tile:nth-child(1) .tile-value', (t) => t === '1,010', 'all 1,010 devices after the restart');
    // Only the refused connections while the api was down may have been logged.
    expect(operator.errors.filter((e) => !/ERR_CONNECTION_REFUSED|ERR_INCOMPLETE_CHUNKED_ENCODING|network error|Failed to fetch|ERR_EMPTY_RESPONSE|503/.test(e))).toEqual([]);
  });
});
