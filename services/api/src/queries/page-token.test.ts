import { decodePageToken, DEFAULT_PAGE_SIZE, encodePageToken, MAX_PAGE_SIZE, resolvePageSize } from './page-token';

describe('page tokens', () => {
  const filters = { phase: 3, selector: { env: 'prod' } };

  it('round-trip the last name for the same filters, whatever their key order', () => {
    const token = encodePageToken('dev-042', filters);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, { selector: { env: 'prod' }, phase: 3 })).toBe('dev-042');
  });

  it('start at the beginning when empty', () => {
    expect(decodePageToken('', filters)).toBeUndefined();
  });

  it('are refused for other filters', () => {
    const token = encodePageToken('dev-042', filters);
    expect(() => decodePageToken(token, { ...filters, phase: 4 })).toThrow('was issued for different filters');
  });

  it.each([
    ['not base64 json', 'garbage!'],
    ['another shape', Buffer.from(JSON.stringify({ v: 2, after: 'x', q: 'y' })).toString('base64url')],
    ['an empty name', Buffer.from(JSON.stringify({ v: 1, after: '', q: 'y' })).toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
  ])('are refused when they are %s', (_what, token) => {
    expect(() => decodePageToken(token, filters)).toThrow('invalid page_token: is not a token this server issued');
  });
});

describe('resolvePageSize', () => {
  it('defaults 0 to 100 and caps at 1000', () => {
    expect(resolvePageSize(0)).toBe(DEFAULT_PAGE_SIZE);
    expect(resolvePageSize(1)).toBe(1);
    expect(resolvePageSize(1000)).toBe(1000);
    expect(resolvePageSize(5000)).toBe(MAX_PAGE_SIZE);
  });

  it('refuses negative or fractional sizes', () => {
    expect(() => resolvePageSize(-1)).toThrow('invalid page_size');
    expect(() => resolvePageSize(1.5)).toThrow('invalid page_size');
  });
});
