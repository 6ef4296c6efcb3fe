import { MemoryDocumentStore } from '@wasmbed/read-models';
import { listPage } from './collection-pages';

describe('listPage', () => {
  const store = new MemoryDocumentStore();
  const even = { key: { parity: 'even' }, matches: (doc: { n: number }) => doc.n % 2 === 0 };

  beforeAll(async () => {
    for (let n = 1; n <= 9; n += 1) await store.put('nums', `n${n}`, { n }, { applied: {} });
  });

  it('pages through matching documents in name order', async () => {
    const first = await listPage(store, 'nums', even, { pageSize: 3, pageToken: '' });
    expect(first.docs).toEqual([{ n: 2 }, { n: 4 }, { n: 6 }]);
    const second = await listPage(store, 'nums', even, { pageSize: 3, pageToken: first.nextPageToken });
    expect(second).toEqual({ docs: [{ n: 8 }], nextPageToken: '' });
  });

  it('gives no token when the page is exactly the last matches', async () => {
    expect(await listPage(store, 'nums', even, { pageSize: 4, pageToken: '' })).toEqual({ docs: [{ n: 2 }, { n: 4 }, { n: 6 }, { n: 8 }], nextPageToken: '' });
  });

  it('refuses a token from another query', async () => {
    const { nextPageToken } = await listPage(store, 'nums', even, { pageSize: 1, pageToken: '' });
    const odd = { key: { parity: 'odd' }, matches: (doc: { n: number }) => doc.n % 2 === 1 };
    await expect(listPage(store, 'nums', odd, { pageSize: 1, pageToken: nextPageToken })).rejects.toThrow('was issued for different filters');
  });
});
