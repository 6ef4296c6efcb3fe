import { ConfigError } from '@wasmbed/errors';
import { createCertificateAuthority, issueServerCertificate } from '@wasmbed/pki';
import { createPrivateKey } from 'node:crypto';
import { certificateToPem, privateKeyToPem } from './tls-credentials';

describe('TLS credential formats', () => {
  it('takes certificates and keys as PEM or DER', async () => {
    const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 1 });
    const server = await issueServerCertificate(ca, { commonName: 'gw', dnsNames: ['localhost'], validityDays: 1 });
    expect(certificateToPem(Buffer.from(server.certPem), 'certificate')).toBe(server.certPem);
    expect(certificateToPem(server.certDer, 'certificate')).toBe(server.certPem);
    const keyDer = createPrivateKey(server.keyPem!).export({ format: 'der', type: 'pkcs8' });
    expect(privateKeyToPem(keyDer)).toBe(createPrivateKey(server.keyPem!).export({ format: 'pem', type: 'pkcs8' }).toString());
    expect(privateKeyToPem(Buffer.from(server.keyPem!))).toBe(server.keyPem);
  });

  it('says clearly when a file is neither', () => {
    expect(() => certificateToPem(Buffer.from('garbage'), 'certificate')).toThrow(ConfigError);
    expect(() => privateKeyToPem(Buffer.from('garbage'))).toThrow(/neither PEM nor a DER private key/);
  });
});
