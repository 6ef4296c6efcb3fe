import { GatewayEndpoints, REDIRECT_ATTEMPTS } from './gateway-endpoints';

describe('GatewayEndpoints (where a device dials)', () => {
  it('dials the provisioned gateway until a Bye names another one, then keeps that one', () => {
    const endpoints = new GatewayEndpoints('gw-a.lab:4423');
    expect(endpoints.current).toEqual({ endpoint: 'gw-a.lab:4423', host: 'gw-a.lab', port: 4423 });
    endpoints.redirect('[fd00::b]:4424');
    expect(endpoints.current).toEqual({ endpoint: '[fd00::b]:4424', host: 'fd00::b', port: 4424 });
    for (let i = 0; i < 10; i++) endpoints.attemptEnded(true);
    expect(endpoints.current.endpoint).toBe('[fd00::b]:4424');
  });

  it(`goes back to the provisioned gateway after ${REDIRECT_ATTEMPTS} failed attempts in a row at the new one`, () => {
    const endpoints = new GatewayEndpoints('gw-a.lab:4423');
    endpoints.redirect('gw-b.lab:4423');
    endpoints.attemptEnded(false);
    endpoints.attemptEnded(false);
    endpoints.attemptEnded(true); // a success in between starts the count over
    for (let i = 1; i < REDIRECT_ATTEMPTS; i++) endpoints.attemptEnded(false);
    expect(endpoints.current.endpoint).toBe('gw-b.lab:4423');
    endpoints.attemptEnded(false);
    expect(endpoints.current.endpoint).toBe('gw-a.lab:4423');
    // Failures at the provisioned gateway are the backoff's business, not a reason to move.
    for (let i = 0; i < 10; i++) endpoints.attemptEnded(false);
    expect(endpoints.current.endpoint).toBe('gw-a.lab:4423');
  });

  it('follows a later redirect, back to the provisioned gateway too, and ignores an endpoint it cannot read', () => {
    const endpoints = new GatewayEndpoints('gw-a.lab:4423');
    endpoints.redirect('gw-b.lab:4423');
    endpoints.redirect('gw-c.lab:4423');
    expect(endpoints.current.endpoint).toBe('gw-c.lab:4423');
    endpoints.redirect('gw-a.lab:4423');
    expect(endpoints.current.endpoint).toBe('gw-a.lab:4423');
    endpoints.redirect('gw-b.lab:4423');
    endpoints.redirect('not an endpoint');
    expect(endpoints.current.endpoint).toBe('gw-b.lab:4423');
  });
});
