import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Customer portal links: bearer tokens that let one customer read its own billing data (no API key)
 * until they expire. A token is `<payload>.<signature>`, both base64url (no padding): the payload is
 * the JSON `{"v":1,"c":<customer id>,"e":<expiry, Unix seconds>,"l":<random link id>}`, the signature
 * HMAC-SHA256 under the portal secret (BILLING_PORTAL_SECRET) over `portal-link.v1.` + the payload
 * part. Nothing is stored: a link cannot be revoked one by one; rotating the secret ends them all.
 */

/** What a valid link says. */
export interface PortalClaims {
  customerId: string;
  /** When the link stops working (whole seconds). */
  expiresAt: Date;
  /** Random, names the link (logs, support); not a secret. */
  linkId: string;
}

export type PortalTokenCheck =
  | { ok: true; claims: PortalClaims }
  /** `invalid`: not a token we signed (malformed, forged, other key, tampered); `expired`: ours, but too old. */
  | { ok: false; reason: 'invalid' | 'expired'; message: string };

/** Longest token accepted (a customer id has at most 256 characters; a real token is far shorter). */
export const MAX_PORTAL_TOKEN_LENGTH = 1024;
/** Default and longest lifetime of a link. */
export const DEFAULT_PORTAL_LINK_MINUTES = 60;
export const MAX_PORTAL_LINK_MINUTES = 7 * 24 * 60;

const VERSION = 1;
const CONTEXT = 'portal-link.v1.';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SIGNATURE_BYTES = 32;

function mac(secret: string, payloadPart: string): Buffer {
  return createHmac('sha256', secret).update(CONTEXT).update(payloadPart).digest();
}

/** Decodes base64url written exactly as we write it (no padding, no stray bits): undefined otherwise. */
function decodeCanonical(part: string): Buffer | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

/** A new link id: 16 random bytes, base64url. */
export function newPortalLinkId(): string {
  return randomBytes(16).toString('base64url');
}

/** Signs the claims; the expiry is cut to whole seconds (as the token carries it). */
export function signPortalToken(secret: string, claims: PortalClaims): string {
  const payload = {
    v: VERSION,
    c: claims.customerId,
    e: Math.floor(claims.expiresAt.getTime() / 1000),
    l: claims.linkId,
  };
  const payloadPart = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${payloadPart}.${mac(secret, payloadPart).toString('base64url')}`;
}

const invalid = (message: string): PortalTokenCheck => ({ ok: false, reason: 'invalid', message });

/**
 * Checks a token: the signature first (constant-time), then the payload's shape, then the expiry
 * (valid while `now` is before it). Never throws on any input.
 */
export function verifyPortalToken(secret: string, token: unknown, now: Date): PortalTokenCheck {
  if (typeof token !== 'string' || token.length === 0) return invalid('the portal link carries no token');
  if (token.length > MAX_PORTAL_TOKEN_LENGTH) return invalid('the portal link is not valid');
  const parts = token.split('.');
  if (parts.length !== 2) return invalid('the portal link is not valid');
  const [payloadPart = '', signaturePart = ''] = parts;
  const signature = decodeCanonical(signaturePart);
  const payloadBytes = decodeCanonical(payloadPart);
  if (!signature || !payloadBytes || signature.length !== SIGNATURE_BYTES)
    return invalid('the portal link is not valid');
  if (!timingSafeEqual(signature, mac(secret, payloadPart))) return invalid('the portal link is not valid');
  let payload: unknown;
  try {
    payload = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    return invalid('the portal link is not valid');
  }
  const claims = claimsOf(payload);
  if (!claims) return invalid('the portal link is not valid');
  if (now.getTime() >= claims.expiresAt.getTime())
    return {
      ok: false,
      reason: 'expired',
      message: `the portal link expired at ${claims.expiresAt.toISOString()}: ask for a new one`,
    };
  return { ok: true, claims };
}

function claimsOf(payload: unknown): PortalClaims | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const { v, c, e, l } = payload as Record<string, unknown>;
  if (v !== VERSION) return undefined;
  if (typeof c !== 'string' || c.length === 0 || c.length > 256) return undefined;
  if (typeof l !== 'string' || l.length === 0 || l.length > 64) return undefined;
  if (typeof e !== 'number' || !Number.isSafeInteger(e) || e <= 0 || e > 253_402_300_799) return undefined;
  return { customerId: c, expiresAt: new Date(e * 1000), linkId: l };
}
