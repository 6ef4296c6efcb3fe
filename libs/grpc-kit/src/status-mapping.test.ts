import { Metadata, status } from '@grpc/grpc-js';
import { ERROR_CODES, WasmbedError, type ErrorCode } from '@wasmbed/errors';
import { GRPC_STATUS_BY_ERROR_CODE, readErrorMetadata, wasmbedErrorToStatus } from './index';

class SampleError extends WasmbedError {
  constructor(
    readonly code: ErrorCode,
    details: Record<string, unknown> = {},
  ) {
    super(`sample ${code}`, details);
  }
}

describe('WasmbedError to gRPC status', () => {
  it.each<[ErrorCode, status]>([
    ['invalid_argument', status.INVALID_ARGUMENT],
    ['not_found', status.NOT_FOUND],
    ['already_exists', status.ALREADY_EXISTS],
    ['conflict', status.ABORTED],
    ['failed_precondition', status.FAILED_PRECONDITION],
    ['unauthenticated', status.UNAUTHENTICATED],
    ['permission_denied', status.PERMISSION_DENIED],
    ['resource_exhausted', status.RESOURCE_EXHAUSTED],
    ['unavailable', status.UNAVAILABLE],
    ['internal', status.INTERNAL],
  ])('maps %s to status %i with the error message', (code, expected) => {
    const result = wasmbedErrorToStatus(new SampleError(code));
    expect(result.code).toBe(expected);
    expect(result.details).toBe(`sample ${code}`);
  });

  it('covers every error code', () => {
    expect(Object.keys(GRPC_STATUS_BY_ERROR_CODE).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('puts the error name and JSON details in trailing metadata, readable by clients', () => {
    const { metadata } = wasmbedErrorToStatus(new SampleError('not_found', { device: 'sensor-1' }));
    expect(metadata.get('wasmbed-error-name')).toEqual(['SampleError']);
    expect(readErrorMetadata(metadata)).toEqual({ name: 'SampleError', details: { device: 'sensor-1' } });
  });

  it('still answers when the details cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const { metadata, code } = wasmbedErrorToStatus(new SampleError('conflict', cyclic));
    expect(code).toBe(status.ABORTED);
    expect(readErrorMetadata(metadata)).toEqual({ name: 'SampleError', details: {} });
  });

  it('reads nothing from metadata without Wasmbed entries', () => {
    expect(readErrorMetadata(new Metadata())).toEqual({});
  });
});
