import { SimDeviceConfigError } from '../errors';
import { parseEndpoint } from './tls-connect';

describe('parseEndpoint', () => {
  it('splits host names, IPv4 and bracketed IPv6', () => {
    expect(parseEndpoint('gateway.local:4443')).toEqual({ host: 'gateway.local', port: 4443 });
    expect(parseEndpoint('127.0.0.1:8443')).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(parseEndpoint('[::1]:8443')).toEqual({ host: '::1', port: 8443 });
  });

  it('refuses anything else', () => {
    for (const bad of ['gateway', 'gateway:', ':80', 'host:0', 'host:65536', '::1:80', 'a b:1']) {
      expect(() => parseEndpoint(bad)).toThrow(SimDeviceConfigError);
    }
  });
});
