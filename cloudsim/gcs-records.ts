/** What GCS holds. */
export type GcsState = { buckets: Record<string, unknown> };
