/**
 * Counters are kept per 15-minute bucket (UTC-aligned). Every IANA offset is a multiple of 15
 * minutes, so every local midnight, hour and period boundary of every customer's time zone falls
 * on a bucket edge: rating any period from buckets is exact.
 */
export const BUCKET_MS = 15 * 60 * 1000;

export function bucketStart(time: Date): Date {
  return new Date(Math.floor(time.getTime() / BUCKET_MS) * BUCKET_MS);
}

/** Fixed-width sortable key of a bucket: "2026-11-02T08:15Z". */
export function bucketKey(start: Date): string {
  return `${start.toISOString().slice(0, 16)}Z`;
}

export function parseBucketKey(key: string): Date {
  return new Date(`${key.slice(0, 16)}:00.000Z`);
}

export function isBucketEdge(time: Date): boolean {
  return time.getTime() % BUCKET_MS === 0;
}
