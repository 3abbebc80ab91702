import { Decimal } from '../decimal.js';
import { formatDecimal } from '../money.js';

export type CouponType = 'fixed_amount' | 'percentage';
export type CouponDuration = 'once' | 'repeating' | 'forever';

/** Where a coupon applies: lines of these meters, invoices of these plans; both absent → the whole invoice. */
export interface CouponScope {
  plans?: string[];
  meters?: string[];
}

/** The terms of a coupon, as the catalog holds them and as a customer's application keeps a copy of them. */
export interface CouponTerms {
  code: string;
  name: string;
  type: CouponType;
  /** fixed_amount: the amount per invoice (once: in total), in `currency`. */
  amount?: string;
  currency?: string;
  /** percentage: percent of the eligible amount ("10", "12.5"). */
  percent?: string;
  duration: CouponDuration;
  /** repeating: how many invoices it discounts. */
  durationPeriods?: number;
  appliesTo?: CouponScope;
}

/** A coupon of the catalog. */
export interface Coupon extends CouponTerms {
  maxRedemptions?: number;
  /** ISO instant after which it can no longer be applied. */
  redeemBy?: string;
  redemptions: number;
  createdAt: string;
}

/** A coupon applied to a customer: a copy of the terms at the time, and what is left of it. */
export interface AppliedCoupon extends CouponTerms {
  /** Unique per customer: the code (a customer has a coupon once). */
  id: string;
  appliedAt: string;
  status: 'active' | 'consumed';
  /** fixed_amount once: what is left to discount (a remainder carries to the next invoice). */
  remainingAmount?: string;
  /** repeating: invoices left. */
  periodsRemaining?: number;
  /** Optimistic lock: each consumption moves it on by one. */
  version: number;
}

export type CouponRefusal =
  | 'coupon_expired'
  | 'coupon_exhausted'
  | 'coupon_currency_mismatch'
  | 'coupon_already_applied';

/** Why `coupon` cannot be applied to a customer billed in `currency` now, or undefined when it can. */
export function couponRefusal(
  coupon: Coupon,
  currency: string,
  now: Date,
  alreadyApplied: boolean,
): { code: CouponRefusal; message: string; kind: 'conflict' | 'unprocessable' } | undefined {
  if (alreadyApplied)
    return {
      code: 'coupon_already_applied',
      kind: 'conflict',
      message: `coupon '${coupon.code}' is already applied to this customer`,
    };
  if (coupon.redeemBy && now.getTime() > Date.parse(coupon.redeemBy))
    return {
      code: 'coupon_expired',
      kind: 'unprocessable',
      message: `coupon '${coupon.code}' could be redeemed until ${coupon.redeemBy}`,
    };
  if (coupon.maxRedemptions !== undefined && coupon.redemptions >= coupon.maxRedemptions)
    return {
      code: 'coupon_exhausted',
      kind: 'conflict',
      message: `coupon '${coupon.code}' has been redeemed ${coupon.redemptions} of ${coupon.maxRedemptions} times`,
    };
  if (coupon.type === 'fixed_amount' && coupon.currency !== currency)
    return {
      code: 'coupon_currency_mismatch',
      kind: 'unprocessable',
      message: `coupon '${coupon.code}' is in ${coupon.currency}; the customer is billed in ${currency}`,
    };
  return undefined;
}

/** The application of `coupon` to a customer at `at`: a copy of its terms and its full allowance. */
export function applyCoupon(coupon: Coupon, at: Date): AppliedCoupon {
  const { maxRedemptions: _max, redeemBy: _by, redemptions: _count, createdAt: _created, ...terms } = coupon;
  return {
    ...terms,
    id: coupon.code,
    appliedAt: at.toISOString(),
    status: 'active',
    ...(coupon.type === 'fixed_amount' && coupon.duration === 'once' ? { remainingAmount: coupon.amount } : {}),
    ...(coupon.duration === 'repeating' ? { periodsRemaining: coupon.durationPeriods } : {}),
    version: 1,
  };
}

/** 0: scoped to meters, 1: to plans, 2: the whole invoice. Coupons apply in this order, then oldest first. */
export function couponRank(coupon: CouponTerms): number {
  if (coupon.appliesTo?.meters?.length) return 0;
  if (coupon.appliesTo?.plans?.length) return 1;
  return 2;
}

export function couponOrder(a: AppliedCoupon, b: AppliedCoupon): number {
  return couponRank(a) - couponRank(b) || a.appliedAt.localeCompare(b.appliedAt) || a.id.localeCompare(b.id);
}

/** What a fixed coupon can still take off one invoice. */
export function couponAllowance(coupon: AppliedCoupon): Decimal {
  if (coupon.type !== 'fixed_amount') return new Decimal(0);
  return new Decimal(coupon.remainingAmount ?? coupon.amount ?? 0);
}

/** The coupon after an invoice it was eligible for took `given` off. */
export function afterInvoice(coupon: AppliedCoupon, given: Decimal): AppliedCoupon {
  const version = coupon.version + 1;
  if (coupon.duration === 'forever') return { ...coupon, version };
  if (coupon.duration === 'repeating') {
    const left = Math.max(0, (coupon.periodsRemaining ?? 0) - 1);
    return { ...coupon, periodsRemaining: left, status: left === 0 ? 'consumed' : 'active', version };
  }
  if (coupon.type === 'percentage') return { ...coupon, status: 'consumed', version };
  const remaining = couponAllowance(coupon).minus(given);
  return {
    ...coupon,
    remainingAmount: formatDecimal(remaining),
    status: remaining.gt(0) ? 'active' : 'consumed',
    version,
  };
}
