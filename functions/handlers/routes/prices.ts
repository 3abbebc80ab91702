import type { Clock } from '../../app/ports/clock.js';
import type { CreditsPort } from '../../app/ports/credits.js';
import { applyCoupon } from '../../domain/billing/coupon.js';
import { invoiceTotals } from '../../domain/billing/totals.js';
import { ZERO } from '../../domain/decimal.js';
import { evaluatePrice, PriceInputError } from '../../domain/pricing/index.js';
import { toWireEvaluation } from '../../domain/pricing/serialize.js';
import { ValidationFailedError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { EvaluatePriceRequestSchema, PriceEvaluationSchema } from '../../schemas/prices.js';

/**
 * The coupon `code` on one evaluated charge, as if newly applied: what its first invoice would take
 * off this charge alone (the invoice math of the close, with no other coupon, credit or tax).
 */
async function couponPreview(
  deps: PriceDeps,
  code: string,
  charge: { currency: string; amount: string; meter?: string; plan?: string },
) {
  const coupon = await deps.credits.getCoupon(code);
  const applied = applyCoupon(coupon, deps.clock());
  const refusal = coupon.type === 'fixed_amount' && coupon.currency !== charge.currency;
  const plans = coupon.appliesTo?.plans;
  const meters = coupon.appliesTo?.meters;
  const note = refusal
    ? `the coupon is in ${coupon.currency}; this price is in ${charge.currency}`
    : plans?.length && (!charge.plan || !plans.includes(charge.plan))
      ? `the coupon applies only to plans ${plans.join(', ')}`
      : meters?.length && (!charge.meter || !meters.includes(charge.meter))
        ? `the coupon applies only to meters ${meters.join(', ')}`
        : undefined;
  const { totals } = invoiceTotals({
    currency: charge.currency,
    planKey: charge.plan ?? '',
    periodEnd: deps.clock(),
    lines: [
      {
        kind: 'usage',
        description: 'charge',
        ...(charge.meter ? { meter: charge.meter } : {}),
        quantity: '1',
        preciseAmount: charge.amount,
        amount: charge.amount,
        periodStart: deps.clock().toISOString(),
        periodEnd: deps.clock().toISOString(),
        details: [],
      },
    ],
    coupons: note === undefined ? [applied] : [],
    grants: [],
    tax: { category: 'O', rate: ZERO },
  });
  return {
    code: coupon.code,
    name: coupon.name,
    applies: note === undefined,
    discount: totals.discountTotal,
    amount_after_discount: totals.taxableAmount,
    ...(note ? { note } : {}),
  };
}

type PriceDeps = { clock: Clock; credits: Pick<CreditsPort, 'getCoupon'> };

export function priceRoutes<Deps extends PriceDeps>(): Route<Deps>[] {
  const route = routesFor<Deps>();
  return [
    route({
      method: 'POST',
      path: '/v1/prices/evaluate',
      access: 'admin',
      summary:
        'Price a quantity, per-event amounts or usage records with any price model, with a line-by-line explanation',
      body: EvaluatePriceRequestSchema,
      response: { status: 200, description: 'the price and its explanation', schema: PriceEvaluationSchema },
      handle: async (request, deps) => {
        const { body } = request;
        let wire: ReturnType<typeof toWireEvaluation>;
        try {
          const evaluation = evaluatePrice(body.price, {
            quantity: body.quantity,
            events: body.events,
            usage: body.usage,
            timeZone: body.timezone,
          });
          wire = toWireEvaluation(evaluation, body.currency, body.rounding ?? 'half_up');
        } catch (error) {
          if (error instanceof PriceInputError)
            throw new ValidationFailedError([{ path: '', message: error.message }], error.message);
          throw error;
        }
        if (body.coupon === undefined) return json(200, wire);
        const coupon = await couponPreview(deps, body.coupon, {
          currency: body.currency,
          amount: wire.amount,
          ...(body.meter ? { meter: body.meter } : {}),
          ...(body.plan ? { plan: body.plan } : {}),
        });
        return json(200, { ...wire, coupon });
      },
    }),
  ];
}
