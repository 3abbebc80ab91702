import { Decimal } from '../decimal.js';

/**
 * `paid`: bought in advance, an advance payment (applied after tax). `promotional`: given away, a price
 * reduction (applied before tax).
 */
export type GrantCategory = 'paid' | 'promotional';

export interface CreditGrant {
  id: string;
  customerId: string;
  name: string;
  category: GrantCategory;
  currency: string;
  /** What was granted. */
  amount: string;
  /** What is left: granted minus consumed (expiry does not change it; see {@link isExpired}). */
  balance: string;
  /** 1 is consumed first; 50 unless set. */
  priority: number;
  /** ISO instants: usable for invoices whose service period ends after `effectiveAt` and no later than `expiresAt`. */
  effectiveAt: string;
  expiresAt?: string;
  /** Only lines of these meters; absent → the whole invoice. */
  appliesTo?: { meters?: string[] };
  createdAt: string;
  /** Optimistic lock: each consumption moves it on by one. */
  version: number;
}

export const DEFAULT_GRANT_PRIORITY = 50;

/**
 * Whether `grant` pays towards an invoice whose service period ends at `periodEnd`: in effect before the
 * period ends and not expired before it ends (a grant expiring exactly at the period's end still pays
 * for that period, and for no later one).
 */
export function grantCovers(grant: CreditGrant, periodEnd: Date): boolean {
  const end = periodEnd.getTime();
  if (Date.parse(grant.effectiveAt) >= end) return false;
  if (grant.expiresAt !== undefined && Date.parse(grant.expiresAt) < end) return false;
  return new Decimal(grant.balance).gt(0);
}

export function isExpired(grant: CreditGrant, now: Date): boolean {
  return grant.expiresAt !== undefined && Date.parse(grant.expiresAt) <= now.getTime();
}

/** Consumption order: priority, then the soonest expiry (none last), then the oldest. */
export function grantOrder(a: CreditGrant, b: CreditGrant): number {
  const expiry = (g: CreditGrant) => (g.expiresAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(g.expiresAt));
  return (
    a.priority - b.priority ||
    expiry(a) - expiry(b) ||
    a.createdAt.localeCompare(b.createdAt) ||
    a.id.localeCompare(b.id)
  );
}
