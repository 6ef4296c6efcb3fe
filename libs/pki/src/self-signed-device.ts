import { KeyObject } from 'node:crypto';
import { buildCertificate, IssuedCertificate } from './certificate-builder';
import { ed25519PrivateKeyFromPem, ed25519PrivateKeyFromSeed, rawPublicKeyFromKeyObject } from './ed25519-keys';
import { validityWindow } from './validity';

export type SelfSignedDeviceCertificateOptions = {
  readonly deviceId: string;
  readonly validityDays: number;
  readonly now?: Date;
} & ({ readonly privateKeyPem: string } | { readonly seed: Uint8Array });

/**
 * What a device does on first boot without the platform CA: certify its own key
 * (EKU clientAuth, CN = deviceId). The gateway learns the key from the handshake
 * and decides enrollment from the event log; the certificate itself vouches for nothing.
 */
export async function createSelfSignedDeviceCertificate(options: SelfSignedDeviceCertificateOptions): Promise<IssuedCertificate> {
  const privateKey: KeyObject =
    'seed' in options ? ed25519PrivateKeyFromSeed(options.seed) : ed25519PrivateKeyFromPem(options.privateKeyPem);
  const cert = await buildCertificate({
    commonName: options.deviceId,
    publicKey: rawPublicKeyFromKeyObject(privateKey),
    validity: validityWindow(options.now ?? new Date(), options.validityDays),
    profile: { kind: 'client' },
    signedBy: { self: privateKey },
  });
  return Object.freeze(cert);
}
