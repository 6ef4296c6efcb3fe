import { Device, DeviceDeploymentPhase, DevicePhase } from '@wasmbed/proto';
import { parseChoice, parseHex, parseKeyValue } from '../args/values';
import type { Command } from '../command';
import { enumChoices, enumShortName } from '../enums';
import { formatBytes, formatLabels, formatTime, orDash } from '../output/format';
import { publicKeyFromKeyFile } from './device-key';
import { namedCommand } from './named-command';
import { collectPages, commandFields } from './requests';
import { present } from './responses';

const PHASES = enumChoices(DevicePhase, 'DEVICE_PHASE_');
const phaseName = (phase: DevicePhase) => enumShortName(DevicePhase, 'DEVICE_PHASE_', phase);
const deploymentPhaseName = (phase: DeviceDeploymentPhase) => enumShortName(DeviceDeploymentPhase, 'DEVICE_DEPLOYMENT_PHASE_', phase);

const list: Command = {
  path: ['device', 'list'],
  summary: 'List devices, optionally filtered by labels, phase or gateway',
  flags: {
    selector: { type: 'string', value: 'K=V,...', help: 'only devices with all these labels, e.g. env=prod' },
    phase: { type: 'string', value: 'PHASE', help: `only devices in this phase (${[...PHASES.keys()].join(', ')})` },
    gateway: { type: 'string', value: 'NAME', help: 'only devices handled by this gateway' },
  },
  examples: ['wasmbed device list --selector env=prod --phase connected'],
  async run({ args, api, out }) {
    const filter = {
      labelSelector: args.string('selector') ?? '',
      phase: args.value('phase', (t) => parseChoice(t, PHASES)) ?? DevicePhase.DEVICE_PHASE_UNSPECIFIED,
      gateway: args.string('gateway') ?? '',
    };
    const devices = await collectPages(async (pageToken) => {
      const page = await api().unary('devices', 'listDevices', { ...filter, pageSize: 1000, pageToken });
      return { items: page.devices, nextPageToken: page.nextPageToken };
    });
    if (out.json) return out.jsonValue({ devices: devices.map((d) => Device.toJSON(d)) });
    out.table(
      ['NAME', 'PHASE', 'BOARD', 'ARCH', 'GATEWAY', 'LABELS', 'LAST SEEN'],
      devices.map((d) => [d.name, phaseName(d.phase), orDash(d.board), orDash(d.architecture), orDash(d.gateway), formatLabels(d.labels), formatTime(d.lastSeenAt)]),
      'No devices.',
    );
  },
};

const show: Command = {
  path: ['device', 'show'],
  usage: 'NAME',
  arity: [1, 1],
  summary: 'Show one device: identity, capabilities, applications',
  async run({ args, api, out }) {
    const device = present((await api().unary('devices', 'getDevice', { name: args.arg(0) })).device, 'a device');
    if (out.json) return out.jsonValue(Device.toJSON(device));
    const caps = device.capabilities;
    out.fields([
      ['Name', device.name],
      ['Phase', phaseName(device.phase)],
      ['Public key', device.publicKey.toString('hex')],
      ['Board', orDash(device.board)],
      ['Architecture', orDash(device.architecture)],
      ['Labels', formatLabels(device.labels)],
      ['Preferred gateway', orDash(device.preferredGateway)],
      ['Gateway', orDash(device.gateway)],
      ['Session', orDash(device.sessionId)],
      ...(caps === undefined
        ? []
        : ([
            ['Firmware', orDash(caps.firmware)],
            ['RAM', formatBytes(caps.ramBytes)],
            ['Max module', formatBytes(caps.maxModuleBytes)],
            ['Max instances', String(caps.maxInstances)],
            ['Host functions', caps.hostFunctions.join(', ') || '-'],
          ] as const)),
      ...(device.revocationReason ? ([['Revocation reason', device.revocationReason]] as const) : []),
      ['Registered', formatTime(device.registeredAt)],
      ['Enrolled', formatTime(device.enrolledAt)],
      ['Last seen', formatTime(device.lastSeenAt)],
      ['Version', String(device.version)],
    ]);
    out.line();
    out.table(
      ['APPLICATION', 'REVISION', 'PHASE', 'UPDATED', 'MESSAGE'],
      device.applications.map((a) => [a.application, String(a.revision), deploymentPhaseName(a.phase), formatTime(a.updatedAt), orDash(a.message)]),
      'No applications.',
    );
  },
};

const register: Command = {
  path: ['device', 'register'],
  usage: 'NAME',
  arity: [1, 1],
  summary: 'Pre-register a device by its Ed25519 public key (it enrolls without approval when it connects)',
  flags: {
    'public-key': { type: 'string', value: 'HEX', help: 'the device public key, 64 hex digits' },
    'key-file': { type: 'string', value: 'FILE', help: 'file with the key: hex, PEM public key or the device PEM private key' },
    board: { type: 'string', value: 'BOARD', help: 'board, e.g. nrf52840dk (required)' },
    arch: { type: 'string', value: 'ARCH', help: 'CPU architecture, e.g. thumbv7em (required)' },
    label: { type: 'string', multiple: true, value: 'K=V', help: 'label (repeatable)' },
    gateway: { type: 'string', value: 'NAME', help: 'gateway the device should connect through' },
  },
  examples: ['wasmbed device register dev-1 --key-file dev-1.pub --board nrf52840dk --arch thumbv7em --label env=prod'],
  async run(ctx) {
    const { args, api, out } = ctx;
    const name = args.arg(0);
    const request = {
      ...commandFields(),
      name,
      board: args.requiredString('board'),
      architecture: args.requiredString('arch'),
      labels: args.keyValues('label'),
      preferredGateway: args.string('gateway') ?? '',
    };
    const publicKey =
      args.oneOf(['public-key', 'key-file'], true) === 'public-key'
        ? args.value('public-key', (t) => parseHex(t, 32))!
        : publicKeyFromKeyFile(ctx.resolvePath(args.requiredString('key-file')));
    const response = await api().unary('devices', 'registerDevice', { ...request, publicKey });
    if (out.json) return out.jsonValue({ name, version: response.version });
    out.line(`device ${name} registered (pending until it connects; version ${response.version})`);
  },
};

const approve = namedCommand({
  path: ['device', 'approve'],
  resource: 'device',
  summary: 'Enroll a device waiting for approval (it connected during pairing mode)',
  call: (ctx, name) => ctx.api().unary('devices', 'approveDevice', { ...commandFields(), name }),
  done: () => 'approved',
});

const REASON_FLAG = { reason: { type: 'string', value: 'TEXT', help: 'why (required; recorded in the event log)' } } as const;

const reject = namedCommand({
  path: ['device', 'reject'],
  usage: 'NAME --reason TEXT',
  resource: 'device',
  summary: 'Refuse a device waiting for approval; its key is never accepted again',
  flags: REASON_FLAG,
  call: (ctx, name) => ctx.api().unary('devices', 'rejectDevice', { ...commandFields(), name, reason: ctx.args.requiredString('reason') }),
  done: () => 'rejected',
});

const revoke = namedCommand({
  path: ['device', 'revoke'],
  usage: 'NAME --reason TEXT',
  resource: 'device',
  summary: 'Revoke a device for good: its session closes and its key is refused',
  flags: REASON_FLAG,
  call: (ctx, name) => ctx.api().unary('devices', 'revokeDevice', { ...commandFields(), name, reason: ctx.args.requiredString('reason') }),
  done: () => 'revoked',
});

const label: Command = {
  path: ['device', 'label'],
  usage: 'NAME k=v... [k-]...',
  arity: [2, Infinity],
  summary: 'Set (k=v) or remove (k-) labels of a device; other labels are kept',
  examples: ['wasmbed device label dev-1 env=prod site=lab-2 canary-'],
  async run({ args, api, out }) {
    const name = args.arg(0);
    const changes = args.positionals.slice(1).map((term) => args.parsed(`label '${term}'`, term, parseLabelChange));
    const device = present((await api().unary('devices', 'getDevice', { name })).device, 'a device');
    const labels = applyLabelChanges(device.labels, changes);
    // expected_version: a concurrent label change makes this fail (ABORTED) instead of being overwritten.
    const response = await api().unary('devices', 'updateDeviceLabels', { ...commandFields(), expectedVersion: device.version, name, labels });
    if (out.json) return out.jsonValue({ name, labels, version: response.version });
    out.line(`device ${name} labels: ${formatLabels(labels)} (version ${response.version})`);
  },
};

/** A label change: set a value, or remove the key (`k-`). */
export type LabelChange = { readonly key: string; readonly value: string } | { readonly key: string; readonly remove: true };

export function parseLabelChange(term: string): LabelChange {
  if (term.endsWith('-') && !term.includes('=')) return { key: term.slice(0, -1) || parseKeyValue(term)[0], remove: true };
  const [key, value] = parseKeyValue(term);
  return { key, value };
}

export function applyLabelChanges(current: Readonly<Record<string, string>>, changes: readonly LabelChange[]): Record<string, string> {
  const labels = { ...current };
  for (const change of changes) {
    if ('remove' in change) delete labels[change.key];
    else labels[change.key] = change.value;
  }
  return labels;
}

export const DEVICE_COMMANDS: readonly Command[] = [list, show, register, approve, reject, revoke, label];
