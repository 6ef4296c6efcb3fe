import * as domain from '@wasmbed/domain';
import { WasmbedError } from '@wasmbed/errors';

describe('@wasmbed/domain public API', () => {
  it('exports the deciders, helpers and registries', () => {
    for (const decider of [domain.deviceDecider, domain.applicationDecider, domain.gatewayDecider]) {
      expect(typeof decider.decide).toBe('function');
      expect(typeof decider.evolve).toBe('function');
    }
    expect(domain.applyEvents(domain.gatewayDecider, [])).toEqual({ status: 'Initial' });
    expect(Object.keys(domain.EVENT_TYPES)).toEqual(['device', 'application', 'gateway']);
    expect(domain.BOUNDED_CONTEXTS.map((c) => c.name)).toEqual(['fleet', 'apps']);
    expect(typeof domain.DeciderSpecification.for).toBe('function');
    expect(domain.planWaves(['b', 'a'], { canary: 1, batchSize: 1 })).toEqual([['a'], ['b']]);
  });

  it.each([
    [new domain.InvalidCommand('data.x', 'bad'), 'invalid_argument'],
    [new domain.InvalidTransition('ApproveDevice', 'device', 'd1', 'Revoked'), 'failed_precondition'],
    [new domain.DeviceNotFound('d1'), 'not_found'],
    [new domain.ApplicationNotFound('a'), 'not_found'],
    [new domain.GatewayNotFound('g'), 'not_found'],
    [new domain.RevisionNotFound('a', 2), 'not_found'],
    [new domain.DeviceAlreadyExists('d1', 'Pending'), 'already_exists'],
    [new domain.ApplicationAlreadyExists('a', 'Running'), 'already_exists'],
    [new domain.GatewayAlreadyExists('g', 'Online'), 'already_exists'],
    [new domain.EnrollmentRefused('d1', 'pairing mode is off'), 'permission_denied'],
    [new domain.NoRollbackTarget('a', 1, 'none'), 'failed_precondition'],
    [new domain.WaveNotReady('a', 1, 0, 'gate'), 'failed_precondition'],
    [new domain.UnexpectedEvent('device', 'X', 'Initial'), 'internal'],
  ])('%s is a WasmbedError with its code and class name', (err, code) => {
    expect(err).toBeInstanceOf(WasmbedError);
    expect(err.code).toBe(code);
    expect(err.toJSON().name).toBe(err.constructor.name);
  });
});
