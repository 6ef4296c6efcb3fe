import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ed25519KeyPairFromSeed, issueDeviceCertificate, type CertificateAuthority } from '@wasmbed/pki';
import { freePort } from '@wasmbed/testing';
import { QemuConsole, type BoardSpec } from '../qemu-console';
import { bridgeSerialToGateway, type SerialBridge } from './serial-bridge';

const run = promisify(execFile);
const FIRMWARE = join(__dirname, '..', '..');

/** A provisioned device: its id, key and provisioning image. */
export interface ProvisionedDevice {
  readonly deviceId: string;
  readonly publicKeyHex: string;
  readonly image: string;
}

export interface ProvisionOptions {
  /** Where the image and certificates go. */
  readonly dir: string;
  readonly ca: CertificateAuthority;
  readonly endpointPort: number;
  /** App publishers the device trusts (hex Ed25519 keys): the publisher block. */
  readonly publisherKeys?: readonly string[];
}

/** A key seed, a device certificate from the platform CA, and a provisioning image whose trust block holds that CA. */
export async function provisionDevice(deviceId: string, options: ProvisionOptions): Promise<ProvisionedDevice> {
  const { dir, ca } = options;
  const seed = createHash('sha256').update(`tls-test-key-${deviceId}`).digest();
  const publicKey = ed25519KeyPairFromSeed(seed).publicKey;
  const cert = await issueDeviceCertificate(ca, { deviceId, publicKey, validityDays: 1 });
  const certFile = join(dir, `${deviceId}.der`);
  const caFile = join(dir, `${deviceId}-ca.der`);
  const image = join(dir, `${deviceId}.prov`);
  await writeFile(certFile, cert.certDer);
  await writeFile(caFile, Buffer.from(ca.certDer));
  const rngSeed = createHash('sha256').update(`tls-test-rng-${deviceId}`).digest('hex');
  const args = ['--out', image, '--endpoint', `localhost:${options.endpointPort}`, '--key-seed', seed.toString('hex'), '--rng-seed', rngSeed];
  for (const key of options.publisherKeys ?? []) args.push('--publisher-key', key);
  const { stdout } = await run('node', [join(FIRMWARE, 'tools/provision.mjs'), ...args, '--cert-der', certFile, '--ca-der', caFile]);
  const summary = JSON.parse(stdout) as { caBytes: number; certBytes: number; publisherKeys: number };
  if (summary.caBytes !== ca.certDer.length || summary.certBytes !== cert.certDer.length || summary.publisherKeys !== (options.publisherKeys ?? []).length) {
    throw new Error(`provision.mjs wrote an unexpected image: ${stdout}`);
  }
  return { deviceId, publicKeyHex: Buffer.from(publicKey).toString('hex'), image };
}

/** QEMU serves the link UART as a TCP server (it waits for the bridge before starting the CPU). */
export function linkArgs(board: BoardSpec, port: number): string[] {
  return board.name === 'riscv32-virt'
    ? ['-chardev', `socket,id=link,host=127.0.0.1,port=${port},server=on,wait=on`, '-device', 'pci-serial,chardev=link']
    : ['-serial', `tcp:127.0.0.1:${port},server=on,wait=on`];
}

export interface RunningDevice {
  readonly qemu: QemuConsole;
  readonly bridge: SerialBridge;
}

/** Boots the main image with its console to the test and its link bridged to a gateway's TLS port. */
export async function bootDevice(board: BoardSpec, device: ProvisionedDevice, gatewayPort: number | (() => number)): Promise<RunningDevice> {
  const linkPort = await freePort();
  const elf = join(FIRMWARE, 'build', board.name, 'wasmbed.elf');
  const [qemu, bridge] = await Promise.all([
    QemuConsole.boot(board, elf, device.image, linkArgs(board, linkPort)),
    bridgeSerialToGateway(linkPort, '127.0.0.1', gatewayPort),
  ]);
  return { qemu, bridge };
}

export async function stopDevice(running: RunningDevice | undefined): Promise<void> {
  running?.bridge.close();
  await running?.qemu.stop();
}
