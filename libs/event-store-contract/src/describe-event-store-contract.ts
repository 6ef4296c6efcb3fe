import type { EventStore, EventTypeRegistry } from '@wasmbed/event-log';
import { appendContract } from './append.contract';
import { CONTRACT_CONTEXTS, FULL_REGISTRY, type ContractStore, type ContractStoreFactory } from './contract-setup';
import { decodingContract } from './decoding.contract';
import type { ContractHarness } from './harness';
import { readContract } from './read.contract';
import { subscribeContract } from './subscribe.contract';

/**
 * The behaviour every EventStore implementation must show. Call it at the top level
 * of a jest test file; `factory` is invoked with CONTRACT_CONTEXTS and a registry and
 * must always reach the same storage. Tests create fresh stream ids and measure
 * positions relative to the head, so storage need not be empty.
 */
export function describeEventStoreContract(name: string, factory: ContractStoreFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    let main: ContractStore | undefined;

    const open = async (registry: EventTypeRegistry): Promise<ContractStore> => {
      const opened = await factory({ contexts: CONTRACT_CONTEXTS, registry });
      expect(opened.contexts).toEqual(CONTRACT_CONTEXTS);
      return opened;
    };

    beforeAll(async () => {
      main = await open(FULL_REGISTRY);
    });
    afterAll(async () => {
      await main?.teardown();
    });

    const harness: ContractHarness = {
      store(): EventStore {
        if (main === undefined) throw new Error('the contract store is only available inside tests');
        return main.store;
      },
      open,
    };

    appendContract(harness);
    readContract(harness);
    subscribeContract(harness);
    decodingContract(harness);
  });
}
