import type { AppliedMarks, EventMark } from './document-store';

export function compareMarks(a: EventMark, b: EventMark): number {
  return a.position !== b.position ? a.position - b.position : a.index - b.index;
}

/** True when the document already reflects this event (or a later one) of the context. */
export function hasApplied(applied: AppliedMarks | undefined, context: string, mark: EventMark): boolean {
  const last = applied?.[context];
  return last !== undefined && compareMarks(last, mark) >= 0;
}

export function withMark(applied: AppliedMarks | undefined, context: string, mark: EventMark): AppliedMarks {
  return { ...applied, [context]: { position: mark.position, index: mark.index } };
}
