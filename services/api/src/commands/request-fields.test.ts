import { InvalidCommand, InvalidTransition } from '@wasmbed/domain';
import { InvalidRequestField, requestFieldOf, toRequestError } from './request-fields';

describe('requestFieldOf', () => {
  it.each([
    ['data.deviceId', 'name'],
    ['data.applicationId', 'name'],
    ['data.publicKey', 'publicKey'],
    ['data.spec.module.sizeBytes', 'spec.module.sizeBytes'],
    ['data.labels.Bad Key', 'labels.Bad Key'],
    ['data.spec.requiredHostFunctions[2]', 'spec.requiredHostFunctions[2]'],
    ['data', '(request)'],
    ['metadata.actor', 'metadata.actor'],
  ])('%s -> %s', (domain, request) => {
    expect(requestFieldOf(domain)).toBe(request);
  });

  it('applies per-command renames to the first segment', () => {
    expect(requestFieldOf('data.gatewayId', { gatewayId: 'gateway' })).toBe('gateway');
  });
});

describe('toRequestError', () => {
  it('re-labels domain validation errors and keeps the cause', () => {
    const original = new InvalidCommand('data.board', 'must be non-empty text');
    const relabelled = toRequestError(original);
    expect(relabelled).toBeInstanceOf(InvalidRequestField);
    expect(relabelled).toMatchObject({ code: 'invalid_argument', message: 'invalid board: must be non-empty text', cause: original });
  });

  it('leaves every other error alone', () => {
    const transition = new InvalidTransition('ApproveDevice', 'device', 'd1', 'Pending');
    expect(toRequestError(transition)).toBe(transition);
  });
});
