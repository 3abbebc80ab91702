import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyVerifier, Principal } from '../app/auth.js';

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Verifies the one admin key given by configuration (BILLING_API_KEY), comparing SHA-256 digests in constant time. */
export class StaticAdminKey implements ApiKeyVerifier {
  private readonly digest: Buffer;

  constructor(secret: string) {
    this.digest = createHash('sha256').update(secret, 'utf8').digest();
  }

  async verify(secret: string): Promise<Principal | undefined> {
    const presented = createHash('sha256').update(secret, 'utf8').digest();
    return timingSafeEqual(presented, this.digest) ? { keyId: 'root', scope: 'admin' } : undefined;
  }
}
