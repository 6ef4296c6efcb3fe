import type { DeployToDevice, DeviceCommandReply } from '@wasmbed/device-bus';
import type { ApplicationSpec } from '@wasmbed/domain';
import { encodeManifest, manifestFromSource } from '@wasmbed/protocol';
import type { ReplyKind } from '../view/types';

/**
 * The Deploy of one revision: the manifest the publisher signed, rebuilt from
 * the stored spec exactly as the publisher built it (manifestFromSource), with
 * the spec's signature and key. The module bytes are in the module store
 * already, under the spec's sha256.
 */
export function deployCommandFor(appId: string, revision: number, spec: ApplicationSpec): DeployToDevice {
  const manifest = encodeManifest(manifestFromSource({ name: appId, revision, ...spec }));
  return {
    type: 'DeployToDevice',
    appId,
    revision,
    manifest: Buffer.from(manifest).toString('base64'),
    signature: spec.manifestSignature,
    publisherKey: spec.publisherKey,
  };
}

/** The gateway's answer while it serves another deploy to the same device (services/gateway, device-session.ts). */
const DEPLOY_IN_PROGRESS = /still in progress/;

/**
 * How a reply is read. A bad manifest or signature (`invalid_argument`) and an
 * unmet requirement (`failed_precondition`: missing host function, module too
 * large, untrusted publisher, device refusal) will fail again: rejected. The
 * gateway also answers `failed_precondition` while another deploy to the device
 * is in progress, recognised by its wording: busy. Everything else (offline,
 * timeout, module store trouble) is transport, worth retrying.
 */
export function classifyReply(reply: DeviceCommandReply): ReplyKind {
  if (reply.ok) return 'accepted';
  const { code, message } = reply.error;
  if (code === 'failed_precondition') return DEPLOY_IN_PROGRESS.test(message) ? 'busy' : 'rejected';
  return code === 'invalid_argument' ? 'rejected' : 'transport';
}

export function describeReply(reply: DeviceCommandReply): string | null {
  return reply.ok ? null : `${reply.error.code}: ${reply.error.message}`;
}
