import { upcomingInvoice } from '../../app/close-period.js';
import type { GrantUse } from '../../app/ports/credits.js';
import type { AppliedCoupon, Coupon, CouponTerms } from '../../domain/billing/coupon.js';
import { type CreditGrant, DEFAULT_GRANT_PRIORITY, isExpired } from '../../domain/billing/credit.js';
import { Decimal, sum, ZERO } from '../../domain/decimal.js';
import { formatAmount, formatDecimal } from '../../domain/money.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import {
  AppliedCouponListResponseSchema,
  AppliedCouponResponseSchema,
  ApplyCouponSchema,
  CouponListResponseSchema,
  CouponResponseSchema,
  CreateCouponSchema,
  CreateGrantSchema,
  CreditsResponseSchema,
  GrantResponseSchema,
} from '../../schemas/credits.js';
import type { ApiDeps } from '../deps.js';

const route = routesFor<ApiDeps>();

/** A coupon's terms on the wire (the catalog's and a customer's copy alike). */
function couponTermsJson(coupon: CouponTerms) {
  return {
    code: coupon.code,
    name: coupon.name,
    type: coupon.type,
    ...(coupon.amount !== undefined ? { amount: coupon.amount, currency: coupon.currency } : {}),
    ...(coupon.percent !== undefined ? { percent: coupon.percent } : {}),
    duration: coupon.duration,
    ...(coupon.durationPeriods !== undefined ? { duration_periods: coupon.durationPeriods } : {}),
    ...(coupon.appliesTo ? { applies_to: coupon.appliesTo } : {}),
  };
}

export function couponJson(coupon: Coupon) {
  return {
    ...couponTermsJson(coupon),
    ...(coupon.maxRedemptions !== undefined ? { max_redemptions: coupon.maxRedemptions } : {}),
    ...(coupon.redeemBy ? { redeem_by: coupon.redeemBy } : {}),
    redemptions: coupon.redemptions,
    created_at: coupon.createdAt,
  };
}

export function appliedCouponJson(coupon: AppliedCoupon) {
  return {
    ...couponTermsJson(coupon),
    applied_at: coupon.appliedAt,
    status: coupon.status,
    ...(coupon.remainingAmount !== undefined ? { remaining_amount: coupon.remainingAmount } : {}),
    ...(coupon.periodsRemaining !== undefined ? { periods_remaining: coupon.periodsRemaining } : {}),
  };
}

/** A grant as the API shows it at `now`: what is left, what was used per invoice, what expired. */
export function grantJson(grant: CreditGrant, uses: GrantUse[], now: Date) {
  const money = (value: Decimal) => formatAmount(value, grant.currency);
  const left = new Decimal(grant.balance);
  const expired = isExpired(grant, now) ? left : ZERO;
  const signed = (use: GrantUse) => (use.kind === 'restored' ? new Decimal(use.amount).neg() : new Decimal(use.amount));
  const consumed = sum(uses.map(signed));
  const status = left.isZero()
    ? 'used_up'
    : isExpired(grant, now)
      ? 'expired'
      : Date.parse(grant.effectiveAt) > now.getTime()
        ? 'pending'
        : 'active';
  const ledger = [
    { type: 'granted' as const, amount: money(new Decimal(grant.amount)), at: grant.createdAt },
    ...[...uses]
      .sort((a, b) => a.at.localeCompare(b.at) || a.invoiceId.localeCompare(b.invoiceId))
      .map((use) => ({
        type: use.kind === 'restored' ? ('restored' as const) : ('consumed' as const),
        amount: money(new Decimal(use.amount)),
        at: use.at,
        invoice_id: use.invoiceId,
        invoice_number: use.invoiceNumber,
      })),
    ...(expired.gt(0) && grant.expiresAt
      ? [{ type: 'expired' as const, amount: money(expired), at: grant.expiresAt }]
      : []),
  ];
  return {
    id: grant.id,
    customer_id: grant.customerId,
    name: grant.name,
    category: grant.category,
    currency: grant.currency,
    amount: money(new Decimal(grant.amount)),
    balance: money(left.minus(expired)),
    consumed: money(consumed),
    expired: money(expired),
    priority: grant.priority,
    effective_at: grant.effectiveAt,
    ...(grant.expiresAt ? { expires_at: grant.expiresAt } : {}),
    ...(grant.appliesTo ? { applies_to: grant.appliesTo } : {}),
    status,
    created_at: grant.createdAt,
    ledger,
  };
}

/** Coupons (catalog, applied to customers) and prepaid credit grants with their ledger. */
export function creditRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/coupons',
      access: 'admin',
      summary: 'Create a coupon: a fixed amount or a percentage off, once, for some invoices or forever',
      body: CreateCouponSchema,
      response: { status: 201, description: 'the coupon', schema: CouponResponseSchema },
      handle: async ({ body }, deps) => {
        const coupon: Coupon = {
          code: body.code,
          name: body.name,
          type: body.type,
          ...(body.amount && body.currency ? { amount: formatDecimal(body.amount), currency: body.currency } : {}),
          ...(body.percent ? { percent: formatDecimal(body.percent) } : {}),
          duration: body.duration,
          ...(body.duration_periods !== undefined ? { durationPeriods: body.duration_periods } : {}),
          ...(body.applies_to && (body.applies_to.plans || body.applies_to.meters)
            ? { appliesTo: body.applies_to }
            : {}),
          ...(body.max_redemptions !== undefined ? { maxRedemptions: body.max_redemptions } : {}),
          ...(body.redeem_by ? { redeemBy: body.redeem_by.toISOString() } : {}),
          redemptions: 0,
          createdAt: deps.clock().toISOString(),
        };
        await deps.credits.createCoupon(coupon);
        return json(201, couponJson(coupon));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/coupons',
      access: 'admin',
      summary: 'List coupons',
      response: { status: 200, description: 'every coupon', schema: CouponListResponseSchema },
      handle: async (_request, deps) => json(200, { data: (await deps.credits.listCoupons()).map(couponJson) }),
    }),
    route({
      method: 'GET',
      path: '/v1/coupons/{code}',
      access: 'admin',
      summary: 'Get a coupon',
      response: { status: 200, description: 'the coupon', schema: CouponResponseSchema },
      handle: async ({ params }, deps) => json(200, couponJson(await deps.credits.getCoupon(params.code))),
    }),
    route({
      method: 'POST',
      path: '/v1/customers/{id}/coupons',
      access: 'admin',
      summary:
        'Apply a coupon to a customer (refused: coupon_expired, coupon_exhausted, coupon_currency_mismatch, coupon_already_applied)',
      body: ApplyCouponSchema,
      response: { status: 201, description: 'the coupon as applied', schema: AppliedCouponResponseSchema },
      handle: async ({ params, body }, deps) => {
        const customer = await deps.customers.get(params.id);
        const applied = await deps.credits.applyCoupon(customer.id, customer.currency, body.code, deps.clock());
        return json(201, appliedCouponJson(applied));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers/{id}/coupons',
      access: 'admin',
      summary: "The customer's coupons: what is left of each",
      response: { status: 200, description: 'the coupons applied', schema: AppliedCouponListResponseSchema },
      handle: async ({ params }, deps) => {
        await deps.customers.get(params.id);
        const coupons = await deps.credits.appliedCoupons(params.id);
        return json(200, { data: coupons.map(appliedCouponJson) });
      },
    }),
    route({
      method: 'POST',
      path: '/v1/customers/{id}/credit-grants',
      access: 'admin',
      summary: 'Grant prepaid (paid) or promotional credits in the customer’s currency',
      body: CreateGrantSchema,
      response: { status: 201, description: 'the grant', schema: GrantResponseSchema },
      handle: async ({ params, body }, deps) => {
        const customer = await deps.customers.get(params.id);
        const now = deps.clock();
        const grant = await deps.credits.createGrant({
          customerId: customer.id,
          name: body.name,
          category: body.category,
          currency: customer.currency,
          amount: formatAmount(body.amount, customer.currency),
          priority: body.priority ?? DEFAULT_GRANT_PRIORITY,
          effectiveAt: (body.effective_at ?? now).toISOString(),
          ...(body.expires_at ? { expiresAt: body.expires_at.toISOString() } : {}),
          ...(body.applies_to?.meters ? { appliesTo: { meters: body.applies_to.meters } } : {}),
          createdAt: now.toISOString(),
        });
        return json(201, grantJson(grant, [], now));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/customers/{id}/credits',
      access: 'admin',
      summary:
        "The customer's credit grants with balances and ledger, and the ongoing balance (minus the current period's usage rated so far)",
      response: { status: 200, description: 'the credits', schema: CreditsResponseSchema },
      handle: async ({ params }, deps) => {
        const customer = await deps.customers.get(params.id);
        const now = deps.clock();
        const [grants, uses, subscriptions] = await Promise.all([
          deps.credits.grants(customer.id),
          deps.credits.grantUses(customer.id),
          deps.subscriptions.byCustomer(customer.id),
        ]);
        const shown = grants
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
          .map((grant) =>
            grantJson(
              grant,
              uses.filter((use) => use.grantId === grant.id),
              now,
            ),
          );
        const inEffect = shown.filter((g) => g.status === 'active' && g.currency === customer.currency);
        const balanceOf = (category?: string) =>
          sum(inEffect.filter((g) => !category || g.category === category).map((g) => new Decimal(g.balance)));
        // What the open periods would draw now, rated live with the same invoice math as the close.
        let drawing = ZERO;
        for (const subscription of subscriptions.filter((s) => s.status === 'active')) {
          const { rated } = await upcomingInvoice(deps, subscription);
          drawing = drawing.plus(sum(rated.grantsDrawn.map((g) => g.drawn)));
        }
        const money = (value: Decimal) => formatAmount(value, customer.currency);
        return json(200, {
          customer_id: customer.id,
          currency: customer.currency,
          balance: money(balanceOf()),
          paid_balance: money(balanceOf('paid')),
          promotional_balance: money(balanceOf('promotional')),
          ongoing_balance: money(Decimal.max(ZERO, balanceOf().minus(drawing))),
          grants: shown,
        });
      },
    }),
  ];
}
