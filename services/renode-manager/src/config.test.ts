import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@wasmbed/errors';
import { loadRenodeManagerConfig } from './config';

const REQUIRED = { WASMBED_API_TOKEN: 't0ken', WASMBED_EMU_DEVICE_CA_CERT: '/pki/ca.crt', WASMBED_EMU_DEVICE_CA_KEY: '/pki/ca.key' };

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadRenodeManagerConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('configuration was accepted');
}

describe('loadRenodeManagerConfig', () => {
  it('needs the api token and the device CA; everything else has a default for the local stack', () => {
    expect(loadRenodeManagerConfig(REQUIRED)).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
      http: { host: '127.0.0.1', port: 8094 },
      managerId: 'renode-manager',
      subjectPrefix: 'wasmbed.emu',
      api: { address: '127.0.0.1:50051', token: 't0ken', tlsCaFile: null },
      gateway: { host: '127.0.0.1', port: 4423 },
      gatewayEndpoint: '127.0.0.1:4423',
      gatewayAllow: [],
      deviceCa: { certFile: '/pki/ca.crt', keyFile: '/pki/ca.key' },
      gatewayCaFile: null,
      publisherKeys: [],
      certificateValidityDays: 365,
      // The repository's firmware build, wherever the service runs from (src or dist).
      firmwareDir: resolve(__dirname, '..', '..', '..', 'firmware', 'build'),
      workDir: join(tmpdir(), 'wasmbed-renode-manager'),
      backends: ['qemu', 'renode'],
      renodeBinary: 'renode',
      maxDevices: 16,
      restart: { maxRestarts: 3, backoffBaseMs: 1_000, backoffMaxMs: 30_000, stableAfterMs: 60_000 },
      attachTimeoutMs: 20_000,
      revokeOnDelete: true,
      adminTokens: [],
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const token = { subject: 'ops', role: 'admin', tokenSha256: 'a'.repeat(64) };
    const config = loadRenodeManagerConfig({
      ...REQUIRED,
      WASMBED_NATS_URL: 'nats://nats:4222',
      WASMBED_EMU_HTTP_ADDR: '0.0.0.0:9100',
      WASMBED_EMU_ID: 'emu-host-2',
      WASMBED_EMU_SUBJECT_PREFIX: 'lab.emu',
      WASMBED_API_GRPC: 'api.internal:50051',
      WASMBED_API_TLS_CA: '/pki/api-ca.pem',
      WASMBED_EMU_GATEWAY: '10.0.0.5:4423',
      WASMBED_EMU_GATEWAY_ENDPOINT: 'gw-1.wasmbed.test:4423',
      WASMBED_EMU_GATEWAY_ALLOW: ' GW-2.wasmbed.test:4423, [::1]:4424,gw-2.wasmbed.test:4423 ',
      WASMBED_EMU_GATEWAY_CA: '/pki/gateway-ca.pem',
      WASMBED_EMU_CERT_VALIDITY_DAYS: '30',
      WASMBED_EMU_PUBLISHER_KEYS: ` ${'AB'.repeat(32)}, ${'cd'.repeat(32)} ,${'ab'.repeat(32)}`,
      WASMBED_EMU_FIRMWARE_DIR: '/opt/wasmbed/firmware',
      WASMBED_EMU_WORK_DIR: '/var/lib/wasmbed-emu',
      WASMBED_EMU_BACKENDS: ' qemu, qemu ',
      WASMBED_EMU_RENODE_BIN: '/opt/renode/renode',
      WASMBED_EMU_MAX_DEVICES: '4',
      WASMBED_EMU_MAX_RESTARTS: '0',
      WASMBED_EMU_RESTART_BACKOFF_MS: '500',
      WASMBED_EMU_RESTART_BACKOFF_MAX_MS: '100',
      WASMBED_EMU_STABLE_AFTER_MS: '5000',
      WASMBED_EMU_ATTACH_TIMEOUT_MS: '3000',
      WASMBED_EMU_REVOKE_ON_DELETE: 'false',
      WASMBED_EMU_ADMIN_TOKENS: JSON.stringify([token]),
      WASMBED_LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      natsUrl: 'nats://nats:4222',
      http: { host: '0.0.0.0', port: 9100 },
      managerId: 'emu-host-2',
      subjectPrefix: 'lab.emu',
      api: { address: 'api.internal:50051', token: 't0ken', tlsCaFile: '/pki/api-ca.pem' },
      gateway: { host: '10.0.0.5', port: 4423 },
      gatewayEndpoint: 'gw-1.wasmbed.test:4423',
      // Lowercased and deduplicated.
      gatewayAllow: ['gw-2.wasmbed.test:4423', '[::1]:4424'],
      gatewayCaFile: '/pki/gateway-ca.pem',
      // Lowercased and deduplicated.
      publisherKeys: [Buffer.alloc(32, 0xab), Buffer.alloc(32, 0xcd)],
      certificateValidityDays: 30,
      firmwareDir: '/opt/wasmbed/firmware',
      workDir: '/var/lib/wasmbed-emu',
      backends: ['qemu'],
      renodeBinary: '/opt/renode/renode',
      maxDevices: 4,
      // The cap never undercuts the first delay.
      restart: { maxRestarts: 0, backoffBaseMs: 500, backoffMaxMs: 500, stableAfterMs: 5_000 },
      attachTimeoutMs: 3_000,
      revokeOnDelete: false,
      adminTokens: [token],
      logLevel: 'debug',
    });
  });

  it('lists every problem by variable', () => {
    const err = configError({
      WASMBED_EMU_HTTP_ADDR: 'nowhere',
      WASMBED_EMU_ID: 'Emu_1',
      WASMBED_EMU_SUBJECT_PREFIX: 'wasmbed.*',
      WASMBED_EMU_GATEWAY_ENDPOINT: 'gw',
      WASMBED_EMU_WORK_DIR: '/tmp/with space',
      WASMBED_EMU_BACKENDS: 'qemu,docker',
      WASMBED_EMU_ADMIN_TOKENS: 'not json',
      WASMBED_EMU_PUBLISHER_KEYS: 'abc',
      WASMBED_EMU_GATEWAY_ALLOW: 'gw-2:4423,$(reboot):1',
    });
    const vars = err.issues.map((issue) => issue.split(' ')[0]);
    expect(vars).toEqual(
      expect.arrayContaining([
        'WASMBED_API_TOKEN',
        'WASMBED_EMU_DEVICE_CA_CERT',
        'WASMBED_EMU_DEVICE_CA_KEY',
        'WASMBED_EMU_HTTP_ADDR',
        'WASMBED_EMU_ID',
        'WASMBED_EMU_SUBJECT_PREFIX',
        'WASMBED_EMU_GATEWAY_ENDPOINT',
        'WASMBED_EMU_WORK_DIR',
        'WASMBED_EMU_ADMIN_TOKENS',
        'WASMBED_EMU_PUBLISHER_KEYS.0',
        'WASMBED_EMU_GATEWAY_ALLOW.1',
      ]),
    );
    expect(err.issues.some((issue) => issue.startsWith('WASMBED_EMU_BACKENDS'))).toBe(true);
    expect(err.message).toMatch(/^invalid renode-manager configuration:/);
  });

  it("takes at most the 4 publisher keys a device's publisher block holds", () => {
    const keys = [1, 2, 3, 4, 5].map((n) => String(n).repeat(64)).join(',');
    expect(configError({ ...REQUIRED, WASMBED_EMU_PUBLISHER_KEYS: keys }).message).toContain('at most 4 keys');
  });

  it('needs an explicit endpoint when the bridge target is nothing a device can dial', () => {
    expect(configError({ ...REQUIRED, WASMBED_EMU_GATEWAY: 'gw_1.internal:4423' }).message).toContain('set WASMBED_EMU_GATEWAY_ENDPOINT');
    expect(loadRenodeManagerConfig({ ...REQUIRED, WASMBED_EMU_GATEWAY: '[::1]:4423' }).gatewayEndpoint).toBe('[::1]:4423');
  });
});
