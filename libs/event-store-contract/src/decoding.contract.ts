import { UnknownEventTypeError, type NewEvent } from '@wasmbed/event-log';
import { created, metadata, newItemStream, PARTIAL_REGISTRY, type ContractStore, type ItemEvent } from './contract-setup';
import { collect, rejectionOf, type ContractHarness } from './harness';

const secret = (): NewEvent<ItemEvent> => ({ event: { type: 'ItemSecret', data: { secret: 's' } }, metadata: metadata() });

export function decodingContract(h: ContractHarness): void {
  describe('unknown event types', () => {
    let reader: ContractStore;
    beforeAll(async () => {
      reader = await h.open(PARTIAL_REGISTRY);
    });
    afterAll(async () => {
      await reader.teardown();
    });

    it('refuses to append a type the registry does not know', async () => {
      const stream = newItemStream();
      const err = await rejectionOf(reader.store.append(stream, [secret()], { expectedVersion: 'no_stream' }));
      expect(err).toBeInstanceOf(UnknownEventTypeError);
      expect(await reader.store.readStream(stream)).toEqual({ events: [], streamVersion: 0 });
    });

    it('makes readStream and readAll fail with the type and position, never skipping the event', async () => {
      const stream = newItemStream();
      const ok = await h.store().append(stream, [created()], { expectedVersion: 'no_stream' });
      const hidden = await h.store().append(stream, [secret()], { expectedVersion: ok.nextExpectedVersion });

      const err = await rejectionOf(reader.store.readStream(stream));
      expect(err).toBeInstanceOf(UnknownEventTypeError);
      expect(err).toMatchObject({ type: 'ItemSecret', position: hidden.position, code: 'internal' });

      const fromAll = await rejectionOf(collect(reader.store.readAll({ context: 'alpha', afterPosition: ok.position })));
      expect(fromAll).toBeInstanceOf(UnknownEventTypeError);
      // Up to the unknown event, everything decodes.
      const before = await collect(reader.store.readAll({ context: 'alpha', afterPosition: ok.position - 1, limit: 1 }));
      expect(before.map((e) => e.position)).toEqual([ok.position]);
    });

    it('makes a subscription report the unknown type through onError and stop before it', async () => {
      const stream = newItemStream();
      const ok = await h.store().append(stream, [created()], { expectedVersion: 'no_stream' });
      const hidden = await h.store().append(stream, [secret()], { expectedVersion: ok.nextExpectedVersion });
      const delivered: number[] = [];
      const errors: Error[] = [];
      const sub = await reader.store.subscribe({
        context: 'alpha',
        afterPosition: ok.position - 1,
        onCommit: async (events) => {
          delivered.push(events[0].position);
        },
        onError: (e) => errors.push(e),
      });
      await sub.closed;
      expect(delivered).toEqual([ok.position]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(UnknownEventTypeError);
      expect(errors[0]).toMatchObject({ type: 'ItemSecret', position: hidden.position });
      expect(sub.lastPosition).toBe(ok.position);
    });
  });
}
