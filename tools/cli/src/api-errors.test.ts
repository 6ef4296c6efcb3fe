import { Metadata, status } from '@grpc/grpc-js';
import { ERROR_NAME_METADATA_KEY } from '@wasmbed/grpc-kit';
import { apiErrorOf, requiredRole, type CallDescription } from './api-errors';
import { ApiPermissionDeniedError, ApiRequestError, ApiUnauthenticatedError, ApiUnavailableError, exitCodeOf } from './errors';

const call: CallDescription = { address: '10.0.0.5:50051', service: 'devices', method: 'registerDevice', timeoutMs: 15_000 };

function withErrorName(name: string): Metadata {
  const metadata = new Metadata();
  metadata.set(ERROR_NAME_METADATA_KEY, name);
  return metadata;
}

describe('apiErrorOf', () => {
  it('UNAVAILABLE from the transport: how to reach the api', () => {
    const err = apiErrorOf({ code: status.UNAVAILABLE, details: 'No connection established. Last error: connect ECONNREFUSED' }, call);
    expect(err).toBeInstanceOf(ApiUnavailableError);
    expect(err.message).toBe('cannot reach the api at 10.0.0.5:50051 (is the stack running? `npm start`; or set --api)');
  });

  describe('UNAVAILABLE from a failed TLS handshake: the flag that fixes it', () => {
    const lastError = (reason: string) => `No connection established. Last error: Error: ${reason}. Resolution note: `;
    const overTls = { ...call, tls: true };

    it('an untrusted certificate: --ca', () => {
      expect(apiErrorOf({ code: status.UNAVAILABLE, details: lastError('unable to verify the first certificate') }, overTls).message).toBe(
        'the api at 10.0.0.5:50051 presented a TLS certificate this CLI does not trust (unable to verify the first certificate): pass --ca FILE with the CA that issued it (or set WASMBED_API_CA)',
      );
      expect(apiErrorOf({ code: status.UNAVAILABLE, details: lastError('self-signed certificate') }, overTls).message).toMatch(/does not trust \(self-signed certificate\): pass --ca FILE/);
    });

    it('a certificate for other names: --api', () => {
      const reason = "Hostname/IP does not match certificate's altnames: IP: 10.0.0.5 is not in the cert's list: 127.0.0.1";
      expect(apiErrorOf({ code: status.UNAVAILABLE, details: lastError(reason) }, overTls).message).toBe(
        `the TLS certificate of the api at 10.0.0.5:50051 does not name that host (${reason}): set --api to a name or address it holds`,
      );
    });

    it('a plaintext api: drop --ca and --tls', () => {
      const reason = '80CB:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n';
      expect(apiErrorOf({ code: status.UNAVAILABLE, details: lastError(reason) }, overTls).message).toBe(
        'the api at 10.0.0.5:50051 does not speak TLS: drop --ca and --tls (and WASMBED_API_CA)',
      );
    });

    it('a plaintext CLI that reached something: maybe a TLS api', () => {
      expect(apiErrorOf({ code: status.UNAVAILABLE, details: 'No connection established. Last error: Failed to connect (2026-01-01T00:00:00.000Z). Resolution note: ' }, call).message).toBe(
        'cannot reach the api at 10.0.0.5:50051 (is the stack running? `npm start`; or set --api; if it serves TLS, pass --ca FILE or --tls)',
      );
    });
  });

  it('UNAVAILABLE answered by the api itself: its reason', () => {
    const err = apiErrorOf({ code: status.UNAVAILABLE, details: 'read models are rebuilding', metadata: withErrorName('ReadModelsRebuilding') }, call);
    expect(err.message).toBe('the api at 10.0.0.5:50051 is unavailable: read models are rebuilding (try again shortly)');
  });

  it('UNAUTHENTICATED: where the token comes from', () => {
    const err = apiErrorOf({ code: status.UNAUTHENTICATED, details: 'missing bearer token' }, call);
    expect(err).toBeInstanceOf(ApiUnauthenticatedError);
    expect(err.message).toMatch(/^token missing or not accepted .* \(set WASMBED_TOKEN or --token-file\)$/);
  });

  it('PERMISSION_DENIED: the role the method needs', () => {
    const err = apiErrorOf({ code: status.PERMISSION_DENIED, details: 'role viewer' }, call);
    expect(err).toBeInstanceOf(ApiPermissionDeniedError);
    expect(err.message).toBe('permission denied: RegisterDevice needs the operator role or higher; use a token with that role');
    const admin = apiErrorOf({ code: status.PERMISSION_DENIED, details: '' }, { ...call, service: 'admin', method: 'rebuildReadModels' });
    expect(admin.message).toContain('RebuildReadModels needs the admin role');
  });

  it.each([
    [status.NOT_FOUND, 'not_found', "device 'x' not found"],
    [status.INVALID_ARGUMENT, 'invalid_argument', 'invalid board: must not be empty'],
    [status.FAILED_PRECONDITION, 'failed_precondition', "cannot ApproveDevice: device 'x' is Enrolled"],
    [status.ALREADY_EXISTS, 'already_exists', "device 'x' already exists"],
  ])('status %d: the server message as it is, code %s', (code, errorCode, details) => {
    const err = apiErrorOf({ code, details, metadata: withErrorName('DeviceNotFound') }, call);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err.code).toBe(errorCode);
    expect(err.message).toBe(details);
    expect((err as ApiRequestError).errorName).toBe('DeviceNotFound');
  });

  it('ABORTED: the server message and what to do', () => {
    const err = apiErrorOf({ code: status.ABORTED, details: "device 'x' is at version 7, expected 6" }, call);
    expect(err.code).toBe('conflict');
    expect(err.message).toBe("device 'x' is at version 7, expected 6 (it changed meanwhile: run the command again)");
  });

  it('DEADLINE_EXCEEDED and UNIMPLEMENTED name the method', () => {
    expect(apiErrorOf({ code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' }, call).message).toBe(
      'the api at 10.0.0.5:50051 did not answer RegisterDevice within 15s (raise --timeout)',
    );
    expect(apiErrorOf({ code: status.UNIMPLEMENTED, details: '' }, { ...call, method: 'streamDeviceLogs' }).message).toContain(
      'does not implement StreamDeviceLogs',
    );
  });

  it('every api error exits 1', () => {
    for (const code of [status.UNAVAILABLE, status.UNAUTHENTICATED, status.NOT_FOUND, status.INTERNAL]) {
      expect(exitCodeOf(apiErrorOf({ code, details: 'x' }, call))).toBe(1);
    }
  });
});

describe('requiredRole', () => {
  it('follows the api README: queries viewer, commands operator, gateway lifecycle and admin service admin', () => {
    expect(requiredRole('devices', 'listDevices')).toBe('viewer');
    expect(requiredRole('devices', 'streamDeviceLogs')).toBe('viewer');
    expect(requiredRole('gateways', 'getGateway')).toBe('viewer');
    expect(requiredRole('devices', 'setPairingMode')).toBe('operator');
    expect(requiredRole('apps', 'deployApplication')).toBe('operator');
    expect(requiredRole('gateways', 'drainGateway')).toBe('admin');
    expect(requiredRole('admin', 'rebuildReadModels')).toBe('admin');
  });
});
