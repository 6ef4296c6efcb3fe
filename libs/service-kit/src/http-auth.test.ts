import { hashToken, staticTokenAuthenticator } from '@wasmbed/grpc-kit';
import { authenticateHttp } from './http-auth';

const authenticator = staticTokenAuthenticator([{ subject: 'viewer-1', role: 'viewer', tokenSha256Hex: hashToken('view-token') }]);
const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } });

describe('authenticateHttp', () => {
  it('returns the principal of a valid bearer token with the role needed', async () => {
    await expect(authenticateHttp(request('Bearer view-token'), authenticator, 'viewer', 'GET /x')).resolves.toEqual({ subject: 'viewer-1', role: 'viewer' });
  });

  it('says how to authenticate when the header is missing, and refuses a bad token', async () => {
    await expect(authenticateHttp(request(), authenticator, 'viewer', 'GET /x')).rejects.toMatchObject({
      code: 'unauthenticated',
      message: expect.stringContaining('Authorization: Bearer <token>'),
    });
    await expect(authenticateHttp(request('Bearer nope'), authenticator, 'viewer', 'GET /x')).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'invalid credentials',
    });
  });

  it('refuses a role below the one required, naming the operation', async () => {
    await expect(authenticateHttp(request('Bearer view-token'), authenticator, 'admin', 'POST /admin/pairing')).rejects.toMatchObject({
      code: 'permission_denied',
      message: expect.stringContaining('POST /admin/pairing'),
    });
  });
});
