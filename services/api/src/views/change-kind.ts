import { ChangeKind } from '@wasmbed/proto';
import type { ChangeKind as DocumentChangeKind } from '../projections/observed-document-store';

export const CHANGE_KIND: Readonly<Record<DocumentChangeKind, ChangeKind>> = {
  added: ChangeKind.CHANGE_KIND_ADDED,
  modified: ChangeKind.CHANGE_KIND_MODIFIED,
  deleted: ChangeKind.CHANGE_KIND_DELETED,
};
