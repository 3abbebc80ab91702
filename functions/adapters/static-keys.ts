import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyVerifier, Principal } from '../app/auth.js';

const sha256 = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

/**
 * The one admin key given by configuration, compared as SHA-256 digests in constant time: from the
 * key itself (BILLING_API_KEY, local runs) or from its digest (BILLING_ADMIN_KEY_SHA256, deployments,
 * which then never hold the key).
 */
export class StaticAdminKey implements ApiKeyVerifier {
  private constructor(private readonly digest: Buffer) {}

  static fromSecret(secret: string): StaticAdminKey {
    return new StaticAdminKey(sha256(secret));
  }

  static fromSha256(hex: string): StaticAdminKey {
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('BILLING_ADMIN_KEY_SHA256 must be 64 hex digits');
    return new StaticAdminKey(Buffer.from(hex, 'hex'));
  }

  async verify(secret: string): Promise<Principal | undefined> {
    return timingSafeEqual(sha256(secret), this.digest) ? { keyId: 'root', scope: 'admin' } : undefined;
  }
}
