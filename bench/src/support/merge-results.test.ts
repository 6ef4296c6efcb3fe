import { mergeConnect, mergeTraffic } from './merge-results';

describe('merging load-generator results', () => {
  it('adds counts, keeps the slowest dialing time, concatenates samples and unique reasons', () => {
    const merged = mergeConnect([
      { established: 3, failed: 1, elapsedMs: 900, readyMs: Float64Array.of(1, 2, 3), errors: ['timeout'] },
      { established: 2, failed: 0, elapsedMs: 1_200, readyMs: Float64Array.of(4, 5), errors: ['timeout', 'refused'] },
    ]);
    expect(merged).toEqual({ established: 5, failed: 1, elapsedMs: 1_200, readyMs: Float64Array.of(1, 2, 3, 4, 5), errors: ['timeout', 'refused'] });
  });

  it('adds traffic of the same window', () => {
    const merged = mergeTraffic([
      { sent: 10, answered: 9, elapsedMs: 5_000, rttMs: Float64Array.of(0.5), open: 4, errors: [] },
      { sent: 20, answered: 20, elapsedMs: 5_010, rttMs: Float64Array.of(0.7, 0.9), open: 5, errors: ['Bye'] },
    ]);
    expect(merged).toEqual({ sent: 30, answered: 29, elapsedMs: 5_010, rttMs: Float64Array.of(0.5, 0.7, 0.9), open: 9, errors: ['Bye'] });
  });
});
