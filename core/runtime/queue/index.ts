export { createWorkQueue } from './work-queue.ts';
export type { WorkQueue, WorkQueueOptions } from './work-queue.ts';
export { BACKOFF_DEFAULTS, exponentialBackoff } from './rate-limiter.ts';
export type { BackoffOptions, RateLimiter } from './rate-limiter.ts';
export { createTokenBucket, TOKEN_BUCKET_DEFAULTS } from './token-bucket.ts';
export type { TokenBucket, TokenBucketOptions } from './token-bucket.ts';
