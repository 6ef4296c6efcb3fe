import { aggregateConfigOf } from './gateway-registration';

describe('gateway aggregate settings', () => {
  it('records the configuration in the units of the domain', () => {
    expect(aggregateConfigOf({ endpoint: 'gw:4423', region: 'eu', capacity: 5, heartbeatIntervalMs: 30_000 })).toEqual({
      endpoint: 'gw:4423',
      region: 'eu',
      capacity: 5,
      heartbeatIntervalSeconds: 30,
    });
    expect(aggregateConfigOf({ endpoint: 'gw:1', region: 'eu', capacity: 1, heartbeatIntervalMs: 1_400 }).heartbeatIntervalSeconds).toBe(1);
  });
});
