/** What S3 holds. */
export type S3State = { buckets: Record<string, unknown> };
