import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AppliedCoupon,
  afterInvoice,
  applyCoupon,
  type Coupon,
  couponRefusal,
} from '../../functions/domain/billing/coupon.js';
import { type CreditGrant, grantCovers } from '../../functions/domain/billing/credit.js';
import {
  invoiceTotals,
  type LineTax,
  MAX_COUPONS_PER_INVOICE,
  MAX_GRANTS_PER_INVOICE,
} from '../../functions/domain/billing/totals.js';
import { Decimal, sum } from '../../functions/domain/decimal.js';
import type { InvoiceLine } from '../../functions/domain/invoice.js';
import { allocate } from '../../functions/domain/money.js';

const PERIOD_END = new Date('2026-02-01T00:00:00Z');
const d = (value: string) => new Decimal(value);

function line(amount: string, meter?: string, kind: InvoiceLine['kind'] = meter ? 'usage' : 'base_fee'): InvoiceLine {
  return {
    kind,
    description: meter ?? 'Base fee',
    ...(meter ? { meter } : {}),
    quantity: '1',
    preciseAmount: amount,
    amount,
    periodStart: '2026-01-01T00:00:00.000Z',
    periodEnd: PERIOD_END.toISOString(),
    details: [],
  };
}

function coupon(terms: Partial<AppliedCoupon> & Pick<AppliedCoupon, 'type'>, appliedAt = '2026-01-01T00:00:00Z') {
  const catalog: Coupon = {
    code: terms.code ?? `C${appliedAt}`,
    name: terms.name ?? 'Coupon',
    duration: 'once',
    redemptions: 0,
    createdAt: '2025-12-01T00:00:00Z',
    ...(terms.type === 'fixed_amount' ? { currency: 'USD' } : {}),
    ...terms,
  };
  return applyCoupon(catalog, new Date(appliedAt));
}

function grant(fields: Partial<CreditGrant> & Pick<CreditGrant, 'amount' | 'category'>): CreditGrant {
  return {
    id: fields.id ?? `g_${fields.amount}_${fields.category}`,
    customerId: 'acme',
    name: fields.name ?? 'Credits',
    currency: 'USD',
    balance: fields.amount,
    priority: 50,
    effectiveAt: '2026-01-01T00:00:00Z',
    createdAt: '2026-01-01T00:00:00Z',
    version: 1,
    ...fields,
  };
}

const NO_TAX: LineTax = { category: 'O', rate: d('0'), reason: 'outside scope' };
const vat = (rate: string): LineTax => ({ category: 'S', rate: d(rate) });

function totals(
  lines: InvoiceLine[],
  options: {
    coupons?: AppliedCoupon[];
    grants?: CreditGrant[];
    tax?: LineTax;
    planKey?: string;
    currency?: string;
    balance?: string;
  },
) {
  return invoiceTotals({
    currency: options.currency ?? 'USD',
    planKey: options.planKey ?? 'pro',
    periodEnd: PERIOD_END,
    lines,
    coupons: options.coupons ?? [],
    grants: options.grants ?? [],
    tax: options.tax ?? NO_TAX,
    ...(options.balance ? { balance: d(options.balance) } : {}),
  });
}

describe('allocate', () => {
  it.each([
    ['10.00', ['1', '1', '1'], ['3.34', '3.33', '3.33']],
    ['0.01', ['1', '1'], ['0.01', '0.00']],
    ['7.50', ['60', '20'], ['5.63', '1.87']],
    ['5', ['2', '1'], ['3', '2']],
    ['0.00', ['0', '0'], ['0.00', '0.00']],
  ])('splits %s over %j as %j', (total, weights, expected) => {
    const currency = total.includes('.') ? 'USD' : 'JPY';
    const shares = allocate(d(total), weights.map(d), currency);
    expect(shares.map((s) => s.toFixed(currency === 'USD' ? 2 : 0))).toEqual(expected);
    expect(sum(shares).eq(d(total))).toBe(true);
  });
});

describe('invoiceTotals: published worked examples', () => {
  it("Flexprice's calculation page: 25% off API calls, then $10 off the invoice, 8.25% tax, $5 wallet", () => {
    // docs.flexprice.io/docs/invoices/calculation: $80 API calls + $20 flat fee; line coupon 25% off API
    // calls (−20), invoice coupon $10 (−10), taxable 70, tax 8.25% = 5.78, wallet 5 → 70.78 owed.
    const result = totals([line('80.00', 'api_calls'), line('20.00')], {
      coupons: [
        coupon({ code: 'TEN', type: 'fixed_amount', amount: '10', duration: 'forever' }, '2026-01-01T00:00:00Z'),
        coupon(
          {
            code: 'API25',
            type: 'percentage',
            percent: '25',
            duration: 'forever',
            appliesTo: { meters: ['api_calls'] },
          },
          '2026-01-02T00:00:00Z',
        ),
      ],
      grants: [grant({ amount: '5', category: 'paid' })],
      tax: vat('8.25'),
    });
    expect(result.totals).toEqual({
      subtotal: '100.00',
      discountTotal: '30.00',
      promotionalCredits: '0.00',
      taxableAmount: '70.00',
      tax: '5.78',
      total: '75.78',
      paidCredits: '5.00',
      creditsApplied: '5.00',
      balanceApplied: '0.00',
      amountDue: '70.78',
    });
    // The meter coupon applies first although it was applied later; the $10 is spread 60:20.
    expect(result.discounts).toEqual([
      { coupon: 'API25', name: 'Coupon', amount: '20.00' },
      { coupon: 'TEN', name: 'Coupon', amount: '10.00' },
    ]);
    expect(result.lines.map((l) => [l.discount, l.taxableAmount, l.tax])).toEqual([
      ['27.50', '52.50', '4.34'],
      ['2.50', '17.50', '1.44'],
    ]);
  });

  it("Lago's calculation (coupons before tax, prepaid credits as an advance payment after tax)", () => {
    // getlago.com changelogs "New calculation method for invoices" and "Coupons applied before tax":
    // $50 subscription + $20 usage, $10 coupon, 10% tax, $30 prepaid credits.
    const result = totals([line('50.00'), line('20.00', 'usage')], {
      coupons: [coupon({ type: 'fixed_amount', amount: '10' })],
      grants: [grant({ amount: '30', category: 'paid' })],
      tax: vat('10'),
    });
    expect(result.totals).toMatchObject({
      subtotal: '70.00',
      discountTotal: '10.00',
      taxableAmount: '60.00',
      tax: '6.00',
      total: '66.00',
      paidCredits: '30.00',
      amountDue: '36.00',
    });
  });

  it("Lago's fixed coupon larger than the invoice: the remainder carries to the next invoice", () => {
    const once = coupon({ type: 'fixed_amount', amount: '100', duration: 'once' });
    const first = totals([line('60.00')], { coupons: [once] });
    expect(first.totals.amountDue).toBe('0.00');
    const [after] = first.couponsAfter;
    expect(after).toMatchObject({ remainingAmount: '40', status: 'active', version: 2 });
    const second = totals([line('60.00')], { coupons: [after as AppliedCoupon] });
    expect(second.totals.discountTotal).toBe('40.00');
    expect(second.totals.amountDue).toBe('20.00');
    expect(second.couponsAfter[0]).toMatchObject({ remainingAmount: '0', status: 'consumed' });
  });

  it('a repeating fixed coupon takes its amount off each invoice and never carries a remainder', () => {
    const repeating = coupon({ type: 'fixed_amount', amount: '100', duration: 'repeating', durationPeriods: 2 });
    const first = totals([line('60.00')], { coupons: [repeating] });
    expect(first.totals.discountTotal).toBe('60.00');
    expect(first.couponsAfter[0]).toMatchObject({ periodsRemaining: 1, status: 'active' });
    const second = totals([line('150.00')], { coupons: first.couponsAfter });
    expect(second.totals.discountTotal).toBe('100.00');
    expect(second.couponsAfter[0]).toMatchObject({ periodsRemaining: 0, status: 'consumed' });
    expect(totals([line('150.00')], { coupons: second.couponsAfter }).totals.discountTotal).toBe('0.00');
  });
});

describe('invoiceTotals: the application order', () => {
  it('meter coupons, then plan coupons, then general ones, oldest first within each', () => {
    const general = coupon(
      { code: 'G', type: 'percentage', percent: '10', duration: 'forever' },
      '2026-01-01T00:00:00Z',
    );
    const plan = coupon(
      { code: 'P', type: 'percentage', percent: '10', duration: 'forever', appliesTo: { plans: ['pro'] } },
      '2026-01-02T00:00:00Z',
    );
    const meter = coupon(
      { code: 'M', type: 'fixed_amount', amount: '50', duration: 'forever', appliesTo: { meters: ['api'] } },
      '2026-01-03T00:00:00Z',
    );
    const result = totals([line('100.00', 'api'), line('100.00')], { coupons: [general, plan, meter] });
    // M: 50 off api → 50 + 100 left; P: 10% of 150 = 15; G: 10% of 135 = 13.50.
    expect(result.discounts.map((x) => [x.coupon, x.amount])).toEqual([
      ['M', '50.00'],
      ['P', '15.00'],
      ['G', '13.50'],
    ]);
    expect(result.totals.discountTotal).toBe('78.50');
  });

  it('a plan coupon skips invoices of other plans and stays unused', () => {
    const plan = coupon({ type: 'percentage', percent: '50', duration: 'once', appliesTo: { plans: ['enterprise'] } });
    const result = totals([line('100.00')], { coupons: [plan] });
    expect(result.totals.discountTotal).toBe('0.00');
    expect(result.couponsAfter).toEqual([]);
  });

  it('a fixed coupon in another currency does not apply', () => {
    const eur = coupon({ type: 'fixed_amount', amount: '10', currency: 'EUR' });
    expect(totals([line('100.00')], { coupons: [eur] }).totals.discountTotal).toBe('0.00');
  });

  it('promotional credits reduce the taxable amount; paid credits pay the total after tax', () => {
    const result = totals([line('100.00')], {
      grants: [grant({ amount: '20', category: 'promotional' }), grant({ amount: '50', category: 'paid' })],
      tax: vat('19'),
    });
    expect(result.totals).toEqual({
      subtotal: '100.00',
      discountTotal: '0.00',
      promotionalCredits: '20.00',
      taxableAmount: '80.00',
      tax: '15.20',
      total: '95.20',
      paidCredits: '50.00',
      creditsApplied: '70.00',
      balanceApplied: '0.00',
      amountDue: '45.20',
    });
  });

  it('the customer balance pays what is left after tax and paid credits, never more', () => {
    const result = totals([line('60.00'), line('40.00', 'api')], {
      grants: [grant({ amount: '50', category: 'paid' })],
      tax: vat('19'),
      balance: '100',
    });
    expect(result.totals).toMatchObject({
      total: '119.00',
      paidCredits: '50.00',
      balanceApplied: '69.00',
      amountDue: '0.00',
    });
    expect(result.balanceDrawn.toFixed(2)).toBe('69.00');
    expect(result.lines.map((l) => l.amountDue)).toEqual(['0.00', '0.00']);
    const partial = totals([line('60.00'), line('40.00', 'api')], { tax: vat('19'), balance: '10.01' });
    expect(partial.totals).toMatchObject({ balanceApplied: '10.01', amountDue: '108.99' });
    expect(sum(partial.lines.map((l) => d(l.amountDue))).toFixed(2)).toBe('108.99');
  });

  it('a one-off line with its own VAT rate is taxed in its own group; reverse charge overrides it', () => {
    const manual: InvoiceLine = { ...line('10.00', undefined, 'one_off'), oneOff: { charge: 'ch_1', taxRate: '7' } };
    const free: InvoiceLine = { ...line('5.00', undefined, 'one_off'), oneOff: { charge: 'ch_2', taxRate: '0' } };
    const result = totals([line('2.00', 'api'), manual, free], { tax: vat('19') });
    expect(result.taxBreakdown.map((r) => [r.category, r.rate, r.taxableAmount, r.tax])).toEqual([
      ['S', '19', '2.00', '0.38'],
      ['Z', '0', '5.00', '0.00'],
      ['S', '7', '10.00', '0.70'],
    ]);
    expect(result.totals).toMatchObject({ taxableAmount: '17.00', tax: '1.08', total: '18.08' });
    expect(result.lines.map((l) => [l.taxCategory, l.taxRate, l.tax])).toEqual([
      ['S', '19', '0.38'],
      ['S', '7', '0.70'],
      ['Z', '0', '0.00'],
    ]);
    const reverse = totals([line('2.00', 'api'), manual], { tax: { category: 'AE', rate: d('0'), reason: 'rc' } });
    expect(reverse.taxBreakdown.map((r) => [r.category, r.rate, r.tax])).toEqual([['AE', '0', '0.00']]);
  });

  it('grants are consumed by priority, then soonest expiry, then oldest', () => {
    const late = grant({ id: 'late', amount: '30', category: 'paid', createdAt: '2026-01-05T00:00:00Z' });
    const early = grant({ id: 'early', amount: '30', category: 'paid', createdAt: '2026-01-01T00:00:00Z' });
    const expiring = grant({ id: 'expiring', amount: '30', category: 'paid', expiresAt: '2026-03-01T00:00:00Z' });
    const first = grant({ id: 'first', amount: '30', category: 'paid', priority: 1 });
    const result = totals([line('100.00')], { grants: [late, early, expiring, first] });
    expect(result.credits.map((c) => [c.grant, c.amount])).toEqual([
      ['first', '30.00'],
      ['expiring', '30.00'],
      ['early', '30.00'],
      ['late', '10.00'],
    ]);
  });

  it('a grant expiring exactly at the period end pays for that period and for no later one', () => {
    const edge = grant({ amount: '10', category: 'paid', expiresAt: PERIOD_END.toISOString() });
    expect(grantCovers(edge, PERIOD_END)).toBe(true);
    expect(grantCovers(edge, new Date(PERIOD_END.getTime() + 1))).toBe(false);
    const effectiveAtEnd = grant({ amount: '10', category: 'paid', effectiveAt: PERIOD_END.toISOString() });
    expect(grantCovers(effectiveAtEnd, PERIOD_END)).toBe(false);
  });

  it('a grant scoped to a meter pays only that meter’s line', () => {
    const scoped = grant({ amount: '500', category: 'promotional', appliesTo: { meters: ['api'] } });
    const result = totals([line('40.00', 'api'), line('60.00')], { grants: [scoped], tax: vat('20') });
    expect(result.totals).toMatchObject({ promotionalCredits: '40.00', taxableAmount: '60.00', tax: '12.00' });
    expect(result.grantsDrawn.map((g) => g.drawn.toFixed(2))).toEqual(['40.00']);
  });

  it('a 0% treatment keeps its reason in the tax breakdown', () => {
    const result = totals([line('10.00')], { tax: { category: 'AE', rate: d('0'), reason: 'Reverse charge' } });
    expect(result.taxBreakdown).toEqual([
      { category: 'AE', rate: '0', taxableAmount: '10.00', tax: '0.00', reason: 'Reverse charge' },
    ]);
  });

  it('rounds in JPY and BHD to their minor units', () => {
    const jpy = totals([line('1000', 'a'), line('333', 'b')], {
      currency: 'JPY',
      coupons: [coupon({ type: 'percentage', percent: '33.3' })],
      tax: vat('10'),
    });
    expect(jpy.totals).toMatchObject({ subtotal: '1333', discountTotal: '444', taxableAmount: '889', tax: '89' });
    const bhd = totals([line('1.005')], { currency: 'BHD', tax: vat('10') });
    expect(bhd.totals).toMatchObject({ tax: '0.101', total: '1.106' });
  });
});

describe('coupons', () => {
  const catalog: Coupon = {
    code: 'WELCOME',
    name: 'Welcome',
    type: 'fixed_amount',
    amount: '10',
    currency: 'USD',
    duration: 'once',
    maxRedemptions: 2,
    redeemBy: '2026-06-30T23:59:59Z',
    redemptions: 0,
    createdAt: '2026-01-01T00:00:00Z',
  };
  const now = new Date('2026-03-01T00:00:00Z');
  it.each([
    ['is applied when valid', catalog, 'USD', now, false, undefined],
    ['is refused once applied', catalog, 'USD', now, true, 'coupon_already_applied'],
    ['is refused after redeem_by', catalog, 'USD', new Date('2026-07-01T00:00:00Z'), false, 'coupon_expired'],
    ['is refused when exhausted', { ...catalog, redemptions: 2 }, 'USD', now, false, 'coupon_exhausted'],
    ['is refused in another currency', catalog, 'EUR', now, false, 'coupon_currency_mismatch'],
    ['in percent fits every currency', { ...catalog, type: 'percentage', percent: '5' }, 'EUR', now, false, undefined],
  ] as const)('%s', (_name, c, currency, at, applied, code) => {
    expect(couponRefusal(c as Coupon, currency, at, applied)?.code).toBe(code);
  });

  it('a percentage coupon once is consumed by its first invoice', () => {
    const once = coupon({ type: 'percentage', percent: '10' });
    expect(afterInvoice(once, d('5'))).toMatchObject({ status: 'consumed', version: 2 });
  });
});

describe('invoiceTotals: properties', () => {
  const cents = fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 100).toFixed(2));
  const meterOf = fc.constantFrom(undefined, 'a', 'b');
  const lines = fc.array(fc.tuple(cents, meterOf), { minLength: 1, maxLength: 6 });
  const coupons = fc.array(
    fc.record({
      type: fc.constantFrom('fixed_amount' as const, 'percentage' as const),
      amount: cents,
      percent: fc.integer({ min: 0, max: 10000 }).map((n) => (n / 100).toString()),
      duration: fc.constantFrom('once' as const, 'repeating' as const, 'forever' as const),
      meters: fc.option(fc.constantFrom(['a'], ['b'], ['a', 'b']), { nil: undefined }),
    }),
    { maxLength: 4 },
  );
  const grants = fc.array(
    fc.record({
      amount: cents,
      category: fc.constantFrom('paid' as const, 'promotional' as const),
      priority: fc.integer({ min: 1, max: 100 }),
      meters: fc.option(fc.constantFrom(['a'], ['b']), { nil: undefined }),
    }),
    { maxLength: 4 },
  );
  const rate = fc.integer({ min: 0, max: 3000 }).map((n) => (n / 100).toString());

  it('never owes a negative amount, never takes more than a grant holds, and the parts add up to the totals', () => {
    fc.assert(
      fc.property(lines, coupons, grants, rate, (ls, cs, gs, r) => {
        const result = totals(
          ls.map(([amount, meter]) => line(amount, meter)),
          {
            coupons: cs.map((c, i) =>
              coupon(
                {
                  code: `C${i}`,
                  type: c.type,
                  amount: c.amount,
                  percent: c.percent,
                  duration: c.duration,
                  durationPeriods: 2,
                  ...(c.meters ? { appliesTo: { meters: [...c.meters] } } : {}),
                },
                `2026-01-0${i + 1}T00:00:00Z`,
              ),
            ),
            grants: gs.map((g, i) =>
              grant({
                id: `g${i}`,
                amount: g.amount,
                category: g.category,
                priority: g.priority,
                ...(g.meters ? { appliesTo: { meters: [...g.meters] } } : {}),
              }),
            ),
            tax: vat(r),
          },
        );
        const t = result.totals;
        const add = (pick: (l: (typeof result.lines)[number]) => string) => sum(result.lines.map((l) => d(pick(l))));
        expect(d(t.amountDue).gte(0)).toBe(true);
        expect(add((l) => l.amount).eq(d(t.subtotal))).toBe(true);
        expect(add((l) => l.discount).eq(d(t.discountTotal))).toBe(true);
        expect(add((l) => l.promotionalCredits).eq(d(t.promotionalCredits))).toBe(true);
        expect(add((l) => l.taxableAmount).eq(d(t.taxableAmount))).toBe(true);
        expect(add((l) => l.tax).eq(d(t.tax))).toBe(true);
        expect(add((l) => l.paidCredits).eq(d(t.paidCredits))).toBe(true);
        expect(add((l) => l.amountDue).eq(d(t.amountDue))).toBe(true);
        expect(d(t.subtotal).minus(t.discountTotal).minus(t.promotionalCredits).eq(d(t.taxableAmount))).toBe(true);
        expect(d(t.taxableAmount).plus(t.tax).eq(d(t.total))).toBe(true);
        expect(d(t.total).minus(t.paidCredits).eq(d(t.amountDue))).toBe(true);
        for (const l of result.lines) expect(d(l.amountDue).gte(0)).toBe(true);
        for (const { grant: g, drawn } of result.grantsDrawn) expect(drawn.lte(d(g.balance))).toBe(true);
        expect(sum(result.discounts.map((x) => d(x.amount))).eq(d(t.discountTotal))).toBe(true);
        expect(sum(result.credits.map((x) => d(x.amount))).eq(d(t.creditsApplied))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('invoiceTotals: what fits one transaction', () => {
  it('draws on at most MAX_GRANTS_PER_INVOICE grants and uses at most MAX_COUPONS_PER_INVOICE coupons', () => {
    const grants = Array.from({ length: MAX_GRANTS_PER_INVOICE + 5 }, (_, i) =>
      grant({ id: `g${String(i).padStart(2, '0')}`, amount: '1', category: 'paid' }),
    );
    const coupons = Array.from({ length: MAX_COUPONS_PER_INVOICE + 5 }, (_, i) =>
      coupon(
        { code: `C${i}`, type: 'fixed_amount', amount: '1', duration: 'forever' },
        `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
      ),
    );
    const result = totals([line('1000.00')], { grants, coupons });
    expect(result.grantsDrawn).toHaveLength(MAX_GRANTS_PER_INVOICE);
    expect(result.couponsAfter).toHaveLength(MAX_COUPONS_PER_INVOICE);
    expect(result.totals).toMatchObject({
      discountTotal: `${MAX_COUPONS_PER_INVOICE}.00`,
      paidCredits: `${MAX_GRANTS_PER_INVOICE}.00`,
    });
  });
});
