import type { AppliedCoupon, Coupon } from '../../domain/billing/coupon.js';
import type { CreditGrant } from '../../domain/billing/credit.js';

/** One invoice's draw on a grant: the grant's ledger entry. */
export interface GrantUse {
  grantId: string;
  invoiceId: string;
  invoiceNumber: string;
  amount: string;
  at: string;
  /** `restored`: the invoice was voided and gave the amount back (absent: consumed). */
  kind?: 'consumed' | 'restored';
}

/** Port: the coupon catalog, the coupons applied to customers, and their credit grants. */
export interface CreditsPort {
  createCoupon(coupon: Coupon): Promise<void>;
  getCoupon(code: string): Promise<Coupon>;
  listCoupons(): Promise<Coupon[]>;
  applyCoupon(customerId: string, currency: string, code: string, now: Date): Promise<AppliedCoupon>;
  appliedCoupons(customerId: string): Promise<AppliedCoupon[]>;
  createGrant(grant: Omit<CreditGrant, 'id' | 'version' | 'balance'>): Promise<CreditGrant>;
  grants(customerId: string): Promise<CreditGrant[]>;
  grantUses(customerId: string): Promise<GrantUse[]>;
}
