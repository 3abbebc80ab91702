import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MAX_PORTAL_TOKEN_LENGTH,
  newPortalLinkId,
  signPortalToken,
  verifyPortalToken,
} from '../../functions/app/portal-links.js';

const SECRET = 'portal-secret-for-tests-0123456789abcdef';
const OTHER = 'another-portal-secret-0123456789abcdefgh';
const NOW = new Date('2026-11-02T10:00:00Z');
const EXPIRES = new Date('2026-11-02T11:00:00Z');
const claims = { customerId: 'acme', expiresAt: EXPIRES, linkId: 'link-1' };

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const macOf = (secret: string, payloadPart: string) =>
  createHmac('sha256', secret).update('portal-link.v1.').update(payloadPart).digest('base64url');
/** A token signed correctly over any payload text (what a holder of the secret could make). */
const signedRaw = (payload: string, secret = SECRET) => `${b64(payload)}.${macOf(secret, b64(payload))}`;

describe('portal link tokens', () => {
  it('verifies a token it signed, with its claims', () => {
    const token = signPortalToken(SECRET, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyPortalToken(SECRET, token, NOW)).toEqual({ ok: true, claims });
  });

  it('is valid until the second before its expiry and expired from that instant on', () => {
    const token = signPortalToken(SECRET, claims);
    expect(verifyPortalToken(SECRET, token, new Date(EXPIRES.getTime() - 1)).ok).toBe(true);
    const atExpiry = verifyPortalToken(SECRET, token, EXPIRES);
    expect(atExpiry).toMatchObject({ ok: false, reason: 'expired' });
    expect(atExpiry.ok === false && atExpiry.message).toContain('2026-11-02T11:00:00.000Z');
    expect(verifyPortalToken(SECRET, token, new Date('2027-01-01T00:00:00Z'))).toMatchObject({ reason: 'expired' });
  });

  it('cuts the expiry to whole seconds, as the token carries it', () => {
    const token = signPortalToken(SECRET, { ...claims, expiresAt: new Date('2026-11-02T11:00:00.999Z') });
    const check = verifyPortalToken(SECRET, token, NOW);
    expect(check.ok && check.claims.expiresAt.toISOString()).toBe('2026-11-02T11:00:00.000Z');
  });

  it('refuses a token signed with another key', () => {
    expect(verifyPortalToken(SECRET, signPortalToken(OTHER, claims), NOW)).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a tampered payload: another customer or a later expiry under the old signature', () => {
    const [, signature] = signPortalToken(SECRET, claims).split('.');
    for (const payload of [
      { v: 1, c: 'bolt', e: EXPIRES.getTime() / 1000, l: 'link-1' },
      { v: 1, c: 'acme', e: EXPIRES.getTime() / 1000 + 3600, l: 'link-1' },
    ])
      expect(verifyPortalToken(SECRET, `${b64(JSON.stringify(payload))}.${signature}`, NOW)).toMatchObject({
        reason: 'invalid',
      });
  });

  it('refuses an expired token re-signed with another key as invalid, not expired', () => {
    const token = signPortalToken(OTHER, { ...claims, expiresAt: new Date('2026-01-01T00:00:00Z') });
    expect(verifyPortalToken(SECRET, token, NOW)).toMatchObject({ reason: 'invalid' });
  });

  it('refuses every flipped character of the signature and the payload', () => {
    const token = signPortalToken(SECRET, claims);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const flipped = `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
      expect(verifyPortalToken(SECRET, flipped, NOW).ok, `position ${i}`).toBe(false);
    }
  });

  it('refuses truncated and extended tokens', () => {
    const token = signPortalToken(SECRET, claims);
    for (const cut of [1, 2, 10, 43, 44, token.length - 1])
      expect(verifyPortalToken(SECRET, token.slice(0, token.length - cut), NOW).ok, `cut ${cut}`).toBe(false);
    expect(verifyPortalToken(SECRET, `${token}A`, NOW).ok).toBe(false);
    expect(verifyPortalToken(SECRET, `${token}=`, NOW).ok).toBe(false);
    expect(verifyPortalToken(SECRET, `${token}.x`, NOW).ok).toBe(false);
    expect(verifyPortalToken(SECRET, token.split('.')[0], NOW).ok).toBe(false);
  });

  it('refuses signed payloads that are not claims (a holder of the key made them; still nothing to trust)', () => {
    const e = EXPIRES.getTime() / 1000;
    for (const payload of [
      'not json',
      'null',
      '[]',
      '"acme"',
      JSON.stringify({ v: 2, c: 'acme', e, l: 'x' }),
      JSON.stringify({ v: 1, c: '', e, l: 'x' }),
      JSON.stringify({ v: 1, c: 7, e, l: 'x' }),
      JSON.stringify({ v: 1, c: 'acme', e: `${e}`, l: 'x' }),
      '{"v":1,"c":"acme","e":1e400,"l":"x"}',
      `{"v":1,"c":"acme","e":${'9'.repeat(400)},"l":"x"}`,
      JSON.stringify({ v: 1, c: 'acme', e: e + 0.5, l: 'x' }),
      JSON.stringify({ v: 1, c: 'acme', e }),
      JSON.stringify({ v: 1, c: 'x'.repeat(257), e, l: 'x' }),
      '{"__proto__":{"v":1},"c":"acme","e":1,"l":"x"}',
    ])
      expect(verifyPortalToken(SECRET, signedRaw(payload), NOW), payload).toMatchObject({ reason: 'invalid' });
  });

  it('refuses anything that is not a token, without throwing', () => {
    for (const token of [
      undefined,
      null,
      42,
      '',
      '.',
      '..',
      'a.b',
      'Bearer x',
      '\u0000.\u0000',
      '\ud800.\udc00',
      'x'.repeat(MAX_PORTAL_TOKEN_LENGTH + 1),
      `${'A'.repeat(10)}.${'A'.repeat(43)}`,
      `${b64('{}')}.${'A'.repeat(43)}`,
      `${b64('{}')}=.${macOf(SECRET, `${b64('{}')}=`)}`,
    ])
      expect(verifyPortalToken(SECRET, token, NOW)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('makes a new random link id every time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newPortalLinkId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
