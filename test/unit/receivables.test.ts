import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPayment } from '../../functions/domain/billing/payment.js';
import { Decimal } from '../../functions/domain/decimal.js';
import type { Invoice } from '../../functions/domain/invoice.js';
import { formatAmount } from '../../functions/domain/money.js';
import {
  AGING_BUCKETS,
  type AgingTotals,
  agingBucketOf,
  daysOverdue,
  receivablesReport,
} from '../../functions/domain/receivables.js';
import { receivablesCsv, receivablesJson } from '../../functions/handlers/routes/receivables.js';
import { sampleInvoice } from '../support/invoice-fixture.js';

let seq = 0;
/** A finalized invoice owing `amountDue`, due on `dueDate` in `timezone`. */
function open(overrides: Partial<Invoice> & { amountDue?: string } = {}): Invoice {
  seq += 1;
  const amountDue = overrides.amountDue ?? '100.00';
  return sampleInvoice({
    id: `inv-${seq}`,
    number: `INV-2026-${String(seq).padStart(6, '0')}`,
    total: amountDue,
    ...overrides,
    amountDue,
  });
}

const at = (iso: string) => ({ instant: new Date(iso) });
const amounts = (totals: AgingTotals) => ({
  currency: totals.currency,
  count: totals.count,
  total: totals.total.toFixed(2),
  ...Object.fromEntries(AGING_BUCKETS.map((bucket) => [bucket, totals.buckets[bucket].toFixed(2)])),
});

describe('agingBucketOf', () => {
  it.each([
    [-5, 'current'],
    [0, 'current'],
    [1, '1_30'],
    [30, '1_30'],
    [31, '31_60'],
    [60, '31_60'],
    [61, '61_90'],
    [90, '61_90'],
    [91, 'over_90'],
    [4000, 'over_90'],
  ])('day %i is %s', (days, bucket) => {
    expect(agingBucketOf(days)).toBe(bucket);
  });
});

describe('daysOverdue', () => {
  it('counts local days in the invoice time zone, not UTC days', () => {
    // 2026-12-15T23:30Z is already the 16th in Berlin (UTC+1) but still the 15th in New York.
    const asOf = at('2026-12-15T23:30:00Z');
    expect(daysOverdue('2026-12-15', asOf, 'Europe/Berlin')).toBe(1);
    expect(daysOverdue('2026-12-15', asOf, 'America/New_York')).toBe(0);
    expect(daysOverdue('2026-12-15', asOf, 'UTC')).toBe(0);
  });

  it('turns overdue at local midnight after the due date', () => {
    expect(daysOverdue('2026-12-15', at('2026-12-15T22:59:59.999Z'), 'Europe/Berlin')).toBe(0);
    expect(daysOverdue('2026-12-15', at('2026-12-15T23:00:00Z'), 'Europe/Berlin')).toBe(1);
    // Kathmandu is UTC+05:45.
    expect(daysOverdue('2026-12-15', at('2026-12-15T18:14:59Z'), 'Asia/Kathmandu')).toBe(0);
    expect(daysOverdue('2026-12-15', at('2026-12-15T18:15:00Z'), 'Asia/Kathmandu')).toBe(1);
    // Across the date line: Kiritimati (UTC+14) is a day ahead of Pago Pago (UTC−11).
    expect(daysOverdue('2026-12-15', at('2026-12-15T12:00:00Z'), 'Pacific/Kiritimati')).toBe(1);
    expect(daysOverdue('2026-12-15', at('2026-12-15T12:00:00Z'), 'Pacific/Pago_Pago')).toBe(0);
  });

  it('counts calendar days across DST changes, month ends and leap days', () => {
    // Berlin leaves summer time on 2026-10-25: a 25-hour day is still one day.
    expect(daysOverdue('2026-10-24', at('2026-10-25T23:30:00Z'), 'Europe/Berlin')).toBe(2);
    expect(daysOverdue('2028-02-28', at('2028-03-01T12:00:00Z'), 'UTC')).toBe(2);
    expect(daysOverdue('2026-12-31', at('2027-01-31T12:00:00Z'), 'UTC')).toBe(31);
    expect(daysOverdue('2027-03-01', at('2026-12-31T12:00:00Z'), 'UTC')).toBe(-60);
  });

  it('reads an as-of date as that local date in every zone', () => {
    const asOf = { date: '2027-01-14' };
    expect(daysOverdue('2026-12-15', asOf, 'Pacific/Kiritimati')).toBe(30);
    expect(daysOverdue('2026-12-15', asOf, 'Pacific/Pago_Pago')).toBe(30);
  });
});

describe('receivablesReport', () => {
  it('puts each invoice in its bucket at the edges (day 0, 1, 30, 31, 60, 61, 90, 91)', () => {
    const asOf = { date: '2027-06-01' };
    const due = (days: number) => {
      const d = new Date(Date.UTC(2027, 5, 1 - days));
      return d.toISOString().slice(0, 10);
    };
    const edges = [0, 1, 30, 31, 60, 61, 90, 91];
    const invoices = edges.map((days, i) => open({ dueDate: due(days), amountDue: `${10 ** i}.00` }));
    const report = receivablesReport(invoices, asOf);
    expect(report.invoices.map((aged) => [aged.daysOverdue, aged.bucket])).toEqual([
      [91, 'over_90'],
      [90, '61_90'],
      [61, '61_90'],
      [60, '31_60'],
      [31, '31_60'],
      [30, '1_30'],
      [1, '1_30'],
      [0, 'current'],
    ]);
    expect(report.currencies.map(amounts)).toEqual([
      {
        currency: 'EUR',
        count: 8,
        total: '11111111.00',
        current: '1.00',
        '1_30': '110.00',
        '31_60': '11000.00',
        '61_90': '1100000.00',
        over_90: '10000000.00',
      },
    ]);
  });

  it('counts a partly paid invoice with its remainder, and leaves out paid, void and draft invoices', () => {
    const partly = applyPayment(open({ amountDue: '119.00', dueDate: '2026-12-01' }), {
      id: 'manual:r1',
      source: 'manual',
      method: 'bank_transfer',
      amount: new Decimal('19.01'),
      currency: 'EUR',
      reference: 'r1',
      receivedAt: '2026-12-02T10:00:00Z',
    }).invoice;
    const invoices = [
      partly,
      open({ status: 'paid', dueDate: '2026-12-01' }),
      open({ status: 'void', dueDate: '2026-12-01' }),
      open({ status: 'draft', number: '', dueDate: '2026-12-01' }),
      open({ amountDue: '0.00', dueDate: '2026-12-01' }),
    ];
    const report = receivablesReport(invoices, at('2026-12-10T12:00:00Z'));
    expect(report.invoices).toHaveLength(1);
    const [aged] = report.invoices;
    expect([aged?.amountDue.toFixed(2), aged?.amountPaid.toFixed(2), aged?.amountRemaining.toFixed(2)]).toEqual([
      '119.00',
      '19.01',
      '99.99',
    ]);
    expect(aged?.paymentStatus).toBe('partially_paid');
    expect(report.currencies.map(amounts)).toEqual([
      {
        currency: 'EUR',
        count: 1,
        total: '99.99',
        current: '0.00',
        '1_30': '99.99',
        '31_60': '0.00',
        '61_90': '0.00',
        over_90: '0.00',
      },
    ]);
  });

  it('never adds amounts of different currencies, per currency and per customer', () => {
    const invoices = [
      open({ customerId: 'a', currency: 'EUR', amountDue: '10.00', dueDate: '2026-12-01' }),
      open({ customerId: 'a', currency: 'USD', amountDue: '20.00', dueDate: '2026-12-01' }),
      open({ customerId: 'a', currency: 'EUR', amountDue: '5.50', dueDate: '2026-10-01' }),
      open({ customerId: 'b', currency: 'EUR', amountDue: '30.00', dueDate: '2027-01-01' }),
    ];
    const report = receivablesReport(invoices, { date: '2026-12-15' });
    expect(report.currencies.map((t) => [t.currency, t.count, t.total.toFixed(2)])).toEqual([
      ['EUR', 3, '45.50'],
      ['USD', 1, '20.00'],
    ]);
    expect(report.customers.map((c) => [c.currency, c.customerId, c.count, c.total.toFixed(2)])).toEqual([
      ['EUR', 'b', 1, '30.00'],
      ['EUR', 'a', 2, '15.50'],
      ['USD', 'a', 1, '20.00'],
    ]);
    const eurA = report.customers.find((c) => c.currency === 'EUR' && c.customerId === 'a');
    expect(eurA && amounts(eurA)).toMatchObject({ '1_30': '10.00', '61_90': '5.50' });
  });

  it('filters by currency and customer, and names the customer after its latest open invoice', () => {
    const invoices = [
      open({ customerId: 'a', currency: 'EUR', issuedAt: '2026-10-01T00:00:00Z', buyer: { name: 'Old name' } }),
      open({ customerId: 'a', currency: 'EUR', issuedAt: '2026-11-01T00:00:00Z', buyer: { name: 'New name' } }),
      open({ customerId: 'a', currency: 'USD' }),
      open({ customerId: 'b', currency: 'EUR' }),
    ];
    const asOf = { date: '2026-12-15' };
    expect(receivablesReport(invoices, asOf, { currency: 'USD' }).invoices.map((a) => a.invoice.currency)).toEqual([
      'USD',
    ]);
    const forA = receivablesReport(invoices, asOf, { customerId: 'a', currency: 'EUR' });
    expect(forA.customers.map((c) => [c.customerId, c.customerName, c.count])).toEqual([['a', 'New name', 2]]);
    expect(receivablesReport(invoices, asOf, { customerId: 'nobody' })).toMatchObject({
      currencies: [],
      customers: [],
      invoices: [],
    });
  });

  it('ages each invoice in its own time zone at one instant', () => {
    const berlin = open({ timezone: 'Europe/Berlin', dueDate: '2026-12-15' });
    const newYork = open({ timezone: 'America/New_York', dueDate: '2026-12-15' });
    const report = receivablesReport([berlin, newYork], at('2026-12-15T23:30:00Z'));
    expect(report.invoices.map((a) => [a.invoice.timezone, a.daysOverdue, a.bucket])).toEqual([
      ['Europe/Berlin', 1, '1_30'],
      ['America/New_York', 0, 'current'],
    ]);
  });

  it('property: per currency and per customer, the buckets add up to the total outstanding', () => {
    const currencies = ['EUR', 'USD', 'JPY', 'BHD'] as const;
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Kiritimati'] as const;
    const invoice = fc.record({
      currency: fc.constantFrom(...currencies),
      customerId: fc.constantFrom('a', 'b', 'c'),
      timezone: fc.constantFrom(...zones),
      dueOffset: fc.integer({ min: -200, max: 400 }),
      minor: fc.bigInt({ min: 0n, max: 10n ** 15n }),
      paidShare: fc.integer({ min: 0, max: 100 }),
      status: fc.constantFrom('finalized', 'finalized', 'finalized', 'paid', 'void'),
    });
    fc.assert(
      fc.property(
        fc.array(invoice, { maxLength: 40 }),
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        (specs, asOfInstant) => {
          const invoices = specs.map((spec) => {
            const digits = { EUR: 2, USD: 2, JPY: 0, BHD: 3 }[spec.currency];
            const amountDue = new Decimal(spec.minor.toString()).div(new Decimal(10).pow(digits));
            const paid = amountDue.times(spec.paidShare).div(100);
            const due = new Date(asOfInstant.getTime() - spec.dueOffset * 86_400_000).toISOString().slice(0, 10);
            return open({
              currency: spec.currency,
              customerId: spec.customerId,
              timezone: spec.timezone,
              dueDate: due,
              status: spec.status,
              amountDue: formatAmount(amountDue, spec.currency),
              amountPaid: formatAmount(paid, spec.currency),
            });
          });
          const report = receivablesReport(invoices, { instant: asOfInstant });
          const expected = new Map<string, Decimal>();
          for (const inv of invoices) {
            if (inv.status !== 'finalized') continue;
            const remaining = new Decimal(inv.amountDue ?? '0').minus(inv.amountPaid ?? '0');
            if (remaining.gt(0))
              expected.set(inv.currency, (expected.get(inv.currency) ?? new Decimal(0)).plus(remaining));
          }
          expect(report.currencies.map((t) => t.currency)).toEqual([...expected.keys()].sort());
          for (const totals of [...report.currencies, ...report.customers]) {
            const bucketSum = AGING_BUCKETS.reduce((acc, b) => acc.plus(totals.buckets[b]), new Decimal(0));
            expect(bucketSum.eq(totals.total)).toBe(true);
          }
          for (const totals of report.currencies) {
            expect(totals.total.eq(expected.get(totals.currency) ?? -1)).toBe(true);
            const perCustomer = report.customers
              .filter((c) => c.currency === totals.currency)
              .reduce((acc, c) => acc.plus(c.total), new Decimal(0));
            expect(perCustomer.eq(totals.total)).toBe(true);
          }
          for (const aged of report.invoices) {
            expect(aged.bucket).toBe(agingBucketOf(aged.daysOverdue));
            // The local date of the instant is its UTC date, or a day either side.
            const spec = specs[invoices.indexOf(aged.invoice)];
            expect(Math.abs(aged.daysOverdue - (spec?.dueOffset ?? Number.NaN))).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the wire form (GET /v1/reports/receivables)', () => {
  const invoices = [
    open({ currency: 'JPY', amountDue: '1200', customerId: 'jp', dueDate: '2026-11-01', buyer: { name: '@SUM(A1)' } }),
    open({ currency: 'BHD', amountDue: '10.125', customerId: 'bh', dueDate: '2026-12-20' }),
  ];
  const report = receivablesReport(invoices, { date: '2026-12-15' });

  it("formats amounts with the currency's minor digits and names buckets after their columns", () => {
    const wire = receivablesJson(report);
    expect(wire.as_of).toBe('2026-12-15');
    expect(wire.currencies).toEqual([
      {
        currency: 'BHD',
        count: 1,
        total: '10.125',
        current: '10.125',
        days_1_30: '0.000',
        days_31_60: '0.000',
        days_61_90: '0.000',
        days_over_90: '0.000',
      },
      {
        currency: 'JPY',
        count: 1,
        total: '1200',
        current: '0',
        days_1_30: '0',
        days_31_60: '1200',
        days_61_90: '0',
        days_over_90: '0',
      },
    ]);
    expect(wire.invoices.map((i) => [i.currency, i.bucket, i.days_overdue, i.amount_remaining])).toEqual([
      ['JPY', 'days_31_60', 44, '1200'],
      ['BHD', 'current', -5, '10.125'],
    ]);
    expect(wire.as_of).toBe(receivablesJson(receivablesReport([], { date: '2026-12-15' })).as_of);
    expect(receivablesJson(receivablesReport([], { instant: new Date('2026-12-15T08:00:00Z') })).as_of).toBe(
      '2026-12-15T08:00:00.000Z',
    );
  });

  it('writes one CSV row per customer and currency, a formula-like name as text', () => {
    const response = receivablesCsv(report);
    expect(response.headers?.['content-disposition']).toBe('attachment; filename="receivables-2026-12-15.csv"');
    expect(String(response.body).split('\r\n')).toEqual([
      'customer_id,customer_name,currency,invoices,total,current,days_1_30,days_31_60,days_61_90,days_over_90',
      'bh,Müller & Söhne Maschinenbau KG,BHD,1,10.125,10.125,0.000,0.000,0.000,0.000',
      'jp,"\'@SUM(A1)",JPY,1,1200,0,0,1200,0,0',
      '',
    ]);
  });
});
