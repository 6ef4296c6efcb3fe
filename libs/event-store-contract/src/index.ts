export { describeEventStoreContract } from './describe-event-store-contract';
export { CONTRACT_CONTEXTS, FULL_REGISTRY, PARTIAL_REGISTRY } from './contract-setup';
export type { ContractStore, ContractStoreFactory, ContractStoreRequest, ItemEvent } from './contract-setup';
