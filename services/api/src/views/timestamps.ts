/** Read models keep ISO-8601 strings; proto Timestamps are Dates (unset when absent). */
export function optionalDate(iso: string | null | undefined): Date | undefined {
  return iso ? new Date(iso) : undefined;
}
