import { S3Client } from '@aws-sdk/client-s3';
import type { BillingConfig } from '../../config.js';

/**
 * The S3 client of the event archive. With S3_ENDPOINT (the local s3rver) requests go there, path
 * style (no bucket subdomains on 127.0.0.1), with the credentials s3rver accepts (S3RVER / S3RVER).
 */
export function createS3Client(config: Pick<BillingConfig, 'region' | 's3Endpoint'>): S3Client {
  if (!config.s3Endpoint) return new S3Client({ region: config.region });
  return new S3Client({
    region: config.region,
    endpoint: config.s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
}
