import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StaticAdminKey } from '../../functions/adapters/static-keys.js';

describe('configured admin key', () => {
  it('accepts the key given in clear and nothing else', async () => {
    const verifier = StaticAdminKey.fromSecret('bk_local_secret');
    expect(await verifier.verify('bk_local_secret')).toEqual({ keyId: 'root', scope: 'admin' });
    expect(await verifier.verify('bk_local_secreT')).toBeUndefined();
  });

  it('accepts the key whose SHA-256 a deployment holds', async () => {
    const hex = createHash('sha256').update('bk_prod_key').digest('hex');
    const verifier = StaticAdminKey.fromSha256(hex);
    expect(await verifier.verify('bk_prod_key')).toEqual({ keyId: 'root', scope: 'admin' });
    expect(await verifier.verify(hex)).toBeUndefined();
  });

  it('refuses a digest that is not 64 hex digits', () => {
    expect(() => StaticAdminKey.fromSha256('abc')).toThrow('BILLING_ADMIN_KEY_SHA256');
  });
});
