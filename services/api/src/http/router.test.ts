import { Router } from './router';
import { HTTP_ROUTES } from './route-table';

describe('Router', () => {
  const router = new Router(HTTP_ROUTES);

  it('finds a route and decodes its path parameters', () => {
    expect(router.match('GET', '/api/v1/devices/dev%2D1/logs')).toMatchObject({ kind: 'found', route: { handler: 'deviceLogs' }, params: { name: 'dev-1' } });
    expect(router.match('POST', '/api/v1/devices/d1/revoke')).toMatchObject({ kind: 'found', route: { handler: 'revokeDevice' } });
    expect(router.match('GET', '/api/v1/pairing')).toMatchObject({ route: { handler: 'pairingStatus' } });
    expect(router.match('POST', '/api/v1/pairing')).toMatchObject({ route: { handler: 'setPairingMode' } });
  });

  it('tells a wrong method (with the allowed ones) from an unknown path', () => {
    expect(router.match('DELETE', '/api/v1/pairing')).toEqual({ kind: 'method_not_allowed', allowed: ['GET', 'POST'] });
    expect(router.match('GET', '/api/v1/devices/d1/approve')).toEqual({ kind: 'method_not_allowed', allowed: ['POST'] });
    expect(router.match('GET', '/api/v1/devices/a/b/c')).toEqual({ kind: 'not_found' });
    expect(router.match('GET', '/api/v1/openapi_yaml')).toEqual({ kind: 'not_found' });
  });

  it('refuses a path parameter that is not valid percent-encoding', () => {
    expect(() => router.match('GET', '/api/v1/devices/%E0%A4%A')).toThrow('invalid name: is not valid percent-encoding');
  });
});
