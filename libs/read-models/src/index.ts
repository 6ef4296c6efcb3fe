export { ProjectionRunner } from './projection-runner';
export type { ProjectionRunnerOptions } from './projection-runner';
export { defineProjection, domainEventOf } from './projection';
export type { Projection, ProjectionDocuments } from './projection';
export type {
  AppliedMarks,
  DocumentStore,
  EventMark,
  ListOptions,
  Page,
  PutOptions,
  StoredDocument,
} from './document-store';
export { MemoryDocumentStore } from './memory-document-store';
export { KvDocumentStore, readModelBucketName } from './kv-document-store';
export type { KvDocumentStoreOptions } from './kv-document-store';
export type { ProjectionErrorInfo, ProjectionState, ProjectionStatus } from './projection-status';
export type { LagSummary } from './lag-reservoir';
export { LAG_SECONDS_BUCKETS } from './projection-metrics';
export { consoleLogger } from './logger';
export type { Logger } from './logger';
export {
  CorruptReadModelError,
  PositionWaitTimeoutError,
  ProjectionFailedError,
  ProjectionStoppedError,
} from './errors';
