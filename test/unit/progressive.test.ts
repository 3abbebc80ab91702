import { describe, expect, it } from 'vitest';
import { applyCoupon } from '../../functions/domain/billing/coupon.js';
import type { ProgressiveBilling } from '../../functions/domain/billing/plan.js';
import {
  levelReached,
  type ProgressiveState,
  progressiveCreditLines,
  usageBill,
} from '../../functions/domain/billing/progressive.js';
import { capProgressiveCredits } from '../../functions/domain/billing/rating.js';
import { invoiceTotals } from '../../functions/domain/billing/totals.js';
import { Decimal } from '../../functions/domain/decimal.js';
import type { InvoiceLine } from '../../functions/domain/invoice.js';
import { PlanVersionBodySchema } from '../../functions/schemas/plans.js';

const d = (value: string) => new Decimal(value);
const PERIOD = { periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-02-01T00:00:00.000Z' };
const thresholds = (...list: Array<[string, boolean?]>): ProgressiveBilling => ({
  thresholds: list.map(([amount, recurring]) => ({ amount: d(amount), recurring: recurring ?? false })),
});

function line(kind: InvoiceLine['kind'], amount: string, meter?: string): InvoiceLine {
  return {
    kind,
    description: meter ?? kind,
    ...(meter ? { meter } : {}),
    quantity: '1',
    preciseAmount: amount,
    amount,
    ...PERIOD,
    details: [],
  };
}

const early = (...amounts: string[]): ProgressiveState => ({
  index: amounts.length,
  invoices: amounts.map((amount, i) => ({
    invoiceId: `in_${i + 1}`,
    invoiceNumber: `INV-${i + 1}`,
    index: i + 1,
    amount,
  })),
});

describe('levelReached', () => {
  it.each([
    // [thresholds, usage, index, threshold]
    [thresholds(['200']), '199.99', undefined, undefined],
    [thresholds(['200']), '200', 1, '200'],
    [thresholds(['200']), '5000', 1, '200'],
    [thresholds(['100'], ['250'], ['1000']), '260', 2, '250'],
    [thresholds(['100'], ['250'], ['1000']), '1000.00', 3, '1000'],
    // a recurring threshold alone repeats from 0
    [thresholds(['200', true]), '399.99', 1, '200'],
    [thresholds(['200', true]), '400', 2, '400'],
    [thresholds(['200', true]), '1050', 5, '1000'],
    // after fixed levels it repeats from the last fixed one
    [thresholds(['100'], ['50', true]), '149.99', 1, '100'],
    [thresholds(['100'], ['50', true]), '150', 2, '150'],
    [thresholds(['100'], ['50', true]), '260', 4, '250'],
    [thresholds(['100'], ['50', true]), '99', undefined, undefined],
  ])('%j at %s reaches level %s', (billing, usage, index, threshold) => {
    const level = levelReached(billing, d(usage));
    expect(level?.index).toBe(index);
    expect(level?.threshold.toFixed()).toBe(threshold);
  });

  it('reaches nothing without thresholds', () => {
    expect(levelReached(undefined, d('1e9'))).toBeUndefined();
  });
});

describe('usageBill', () => {
  it('sums the usage lines only', () => {
    expect(
      usageBill([line('base_fee', '31.00'), line('usage', '200.00', 'api'), line('usage', '0.50', 'b')]).toFixed(2),
    ).toBe('200.50');
  });
});

describe('the progressive credit on an invoice', () => {
  it('credits each interim invoice on a line of its own', () => {
    const lines = progressiveCreditLines(early('200.00', '150.00'), 'USD', PERIOD);
    expect(lines.map((l) => [l.kind, l.amount, l.description])).toEqual([
      ['progressive_credit', '-200.00', 'Billed earlier this period: INV-1'],
      ['progressive_credit', '-150.00', 'Billed earlier this period: INV-2'],
    ]);
    expect(lines[0]?.progressiveCredit).toEqual({ invoiceId: 'in_1', invoiceNumber: 'INV-1', amount: '200.00' });
  });

  it('bills fees 431 less 200 billed early: 231, without tax', () => {
    const { totals, lines } = invoiceTotals({
      currency: 'USD',
      planKey: 'p',
      periodEnd: new Date(PERIOD.periodEnd),
      lines: [
        line('base_fee', '31.00'),
        line('usage', '400.00', 'api'),
        ...progressiveCreditLines(early('200.00'), 'USD', PERIOD),
      ],
      coupons: [],
      grants: [],
      tax: { category: 'O', rate: d('0') },
    });
    expect(totals).toMatchObject({
      subtotal: '231.00',
      taxableAmount: '231.00',
      tax: '0.00',
      total: '231.00',
      amountDue: '231.00',
    });
    expect(lines.map((l) => l.amountDue)).toEqual(['31.00', '400.00', '-200.00']);
  });

  it('taxes what is left: the credit gives back the tax of what it credits', () => {
    const { totals, lines, taxBreakdown } = invoiceTotals({
      currency: 'EUR',
      planKey: 'p',
      periodEnd: new Date(PERIOD.periodEnd),
      lines: [
        line('base_fee', '31.00'),
        line('usage', '400.00', 'api'),
        ...progressiveCreditLines(early('200.00'), 'EUR', PERIOD),
      ],
      coupons: [],
      grants: [],
      tax: { category: 'S', rate: d('19') },
    });
    expect(totals).toMatchObject({ subtotal: '231.00', taxableAmount: '231.00', tax: '43.89', total: '274.89' });
    expect(lines.map((l) => l.tax)).toEqual(['5.89', '76.00', '-38.00']);
    expect(taxBreakdown).toEqual([{ category: 'S', rate: '19', taxableAmount: '231.00', tax: '43.89' }]);
  });

  it('takes a coupon off what is left after the credit, never more', () => {
    const fixed = applyCoupon(
      {
        code: 'BIG',
        name: 'Big',
        type: 'fixed_amount',
        amount: '300.00',
        currency: 'USD',
        duration: 'once',
        redemptions: 0,
        createdAt: '2025-12-01T00:00:00Z',
      },
      new Date('2026-01-01T00:00:00Z'),
    );
    const { totals } = invoiceTotals({
      currency: 'USD',
      planKey: 'p',
      periodEnd: new Date(PERIOD.periodEnd),
      lines: [
        line('base_fee', '31.00'),
        line('usage', '400.00', 'api'),
        ...progressiveCreditLines(early('200.00'), 'USD', PERIOD),
      ],
      coupons: [fixed],
      grants: [],
      tax: { category: 'O', rate: d('0') },
    });
    expect(totals).toMatchObject({ subtotal: '231.00', discountTotal: '231.00', total: '0.00', amountDue: '0.00' });
  });

  it('still refuses a negative line of any other kind', () => {
    expect(() =>
      invoiceTotals({
        currency: 'USD',
        planKey: 'p',
        periodEnd: new Date(PERIOD.periodEnd),
        lines: [line('usage', '-1.00', 'api')],
        coupons: [],
        grants: [],
        tax: { category: 'O', rate: d('0') },
      }),
    ).toThrow(RangeError);
  });
});

describe('the plan field progressive_billing', () => {
  const plan = (progressive: unknown, currency = 'USD') =>
    PlanVersionBodySchema.safeParse({ name: 'P', currency, interval: 'month', progressive_billing: progressive });
  const paths = (result: ReturnType<typeof plan>) =>
    result.success ? [] : result.error.issues.map((issue) => issue.path.join('/'));

  it('takes ascending thresholds, the last recurring', () => {
    expect(plan({ thresholds: [{ amount: '200.00' }] }).success).toBe(true);
    expect(plan({ thresholds: [{ amount: '100' }, { amount: '250.5', recurring: true }] }).success).toBe(true);
  });

  it.each([
    [{ thresholds: [] }, 'progressive_billing/thresholds'],
    [{ thresholds: [{ amount: '0' }] }, 'progressive_billing/thresholds/0/amount'],
    [{ thresholds: [{ amount: '-5' }] }, 'progressive_billing/thresholds/0/amount'],
    [{ thresholds: [{ amount: '1.001' }] }, 'progressive_billing/thresholds/0/amount'],
    [{ thresholds: [{ amount: '200' }, { amount: '200' }] }, 'progressive_billing/thresholds/1/amount'],
    [{ thresholds: [{ amount: '200' }, { amount: '100' }] }, 'progressive_billing/thresholds/1/amount'],
    [
      { thresholds: [{ amount: '100', recurring: true }, { amount: '200' }] },
      'progressive_billing/thresholds/0/recurring',
    ],
    [{ thresholds: [{ amount: '100', recurring: 'yes' }] }, 'progressive_billing/thresholds/0/recurring'],
    [{ thresholds: [{ amount: Number.POSITIVE_INFINITY }] }, 'progressive_billing/thresholds/0/amount'],
    [{ thresholds: [{ amount: '9'.repeat(400) }] }, 'progressive_billing/thresholds/0/amount'],
    [{ thresholds: [{ amount: '100', extra: 1 }] }, 'progressive_billing/thresholds/0'],
    [
      { thresholds: Array.from({ length: 11 }, (_, i) => ({ amount: String(i + 1) })) },
      'progressive_billing/thresholds',
    ],
    [{ threshold: '200' }, 'progressive_billing'],
    ['200', 'progressive_billing'],
  ])('refuses %j at %s', (progressive, path) => {
    const result = plan(progressive);
    expect(result.success).toBe(false);
    expect(paths(result)).toContain(path);
  });

  it('counts decimal places in the plan currency', () => {
    expect(plan({ thresholds: [{ amount: '200.5' }] }, 'JPY').success).toBe(false);
    expect(plan({ thresholds: [{ amount: '200' }] }, 'JPY').success).toBe(true);
  });
});

describe('capProgressiveCredits', () => {
  it('leaves the credits alone when the charges cover them', () => {
    const credits = progressiveCreditLines(early('200.00'), 'USD', PERIOD);
    const result = capProgressiveCredits(credits, [line('base_fee', '31.00'), line('usage', '400.00', 'api')], 'USD');
    expect(result.capped).toBe(false);
    expect(result.lines.map((l) => l.amount)).toEqual(['-200.00']);
  });

  it('credits no more than the charges when usage was cancelled after the interim invoices', () => {
    const credits = progressiveCreditLines(early('100.00', '150.00', '50.00'), 'USD', PERIOD);
    const result = capProgressiveCredits(credits, [line('usage', '180.00', 'api')], 'USD');
    expect(result.capped).toBe(true);
    expect(result.lines.map((l) => l.amount)).toEqual(['-100.00', '-80.00']);
  });
});
