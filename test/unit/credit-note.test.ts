import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CreditLineRequest,
  type CreditNoteMethod,
  computeCreditNote,
  creditEverythingLeft,
  invoiceAfterCreditNote,
} from '../../functions/domain/billing/credit-note.js';
import { Decimal, sum } from '../../functions/domain/decimal.js';
import type { Invoice, InvoiceLine, LineShares } from '../../functions/domain/invoice.js';
import { formatAmount } from '../../functions/domain/money.js';
import { contribution } from '../../functions/domain/revenue.js';
import { sampleInvoice } from '../support/invoice-fixture.js';

const d = (value: string) => new Decimal(value);

/** A line with its shares: `taxable` net after coupons, `tax` its tax. */
function line(amount: string, taxable: string, tax: string, quantity = '1', rate = '19'): InvoiceLine & LineShares {
  return {
    kind: 'usage',
    description: `Line ${amount}`,
    quantity,
    preciseAmount: amount,
    amount,
    periodStart: '2026-11-01T00:00:00.000Z',
    periodEnd: '2026-12-01T00:00:00.000Z',
    details: [],
    discount: formatAmount(d(amount).minus(taxable), 'EUR'),
    promotionalCredits: '0.00',
    taxableAmount: taxable,
    taxCategory: 'S',
    taxRate: rate,
    tax,
    paidCredits: '0.00',
    amountDue: formatAmount(d(taxable).plus(tax), 'EUR'),
  };
}

function invoiceOf(lines: Array<InvoiceLine & LineShares>, overrides: Partial<Invoice> = {}): Invoice {
  const subtotal = sum(lines.map((l) => d(l.amount)));
  const taxable = sum(lines.map((l) => d(l.taxableAmount)));
  const tax = sum(lines.map((l) => d(l.tax)));
  return sampleInvoice({
    lines,
    subtotal: formatAmount(subtotal, 'EUR'),
    discountTotal: formatAmount(subtotal.minus(taxable), 'EUR'),
    promotionalCredits: '0.00',
    taxableAmount: formatAmount(taxable, 'EUR'),
    tax: formatAmount(tax, 'EUR'),
    total: formatAmount(taxable.plus(tax), 'EUR'),
    paidCredits: '0.00',
    creditsApplied: '0.00',
    amountDue: formatAmount(taxable.plus(tax), 'EUR'),
    ...overrides,
  });
}

/** Issues a note and answers the invoice after it (throws when refused). */
function credit(invoice: Invoice, lines: CreditLineRequest[], method: CreditNoteMethod = 'credit_balance') {
  const outcome = computeCreditNote(invoice, { lines, method });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.refusal));
  const note = { id: `cn_${invoice.creditNotes?.length ?? 0}`, number: 'CN', method, issuedAt: invoice.issuedAt };
  return {
    note: outcome.amounts,
    invoice: invoiceAfterCreditNote(invoice, { ...note, total: outcome.amounts.total }, outcome.amounts),
  };
}

function refusalOf(invoice: Invoice, lines: CreditLineRequest[], method: CreditNoteMethod = 'credit_balance') {
  const outcome = computeCreditNote(invoice, { lines, method });
  if (outcome.ok) throw new Error('expected a refusal');
  return outcome.refusal;
}

describe('credit notes: exact amounts', () => {
  it('credits 100.00 at 19 % in three notes with cumulative tax rounding: 6.33, 6.34, 6.33', () => {
    let invoice = invoiceOf([line('100.00', '100.00', '19.00')]);
    const taxes: string[] = [];
    for (const amount of ['33.33', '33.33', '33.34']) {
      const step = credit(invoice, [{ line: 1, amount: d(amount) }]);
      taxes.push(step.note.tax);
      invoice = step.invoice;
    }
    // round(19 × 33.33/100) = 6.33; round(19 × 66.66/100) = 12.67 → 6.34; 19.00 − 12.67 = 6.33.
    expect(taxes).toEqual(['6.33', '6.34', '6.33']);
    expect(invoice.creditedLines).toEqual([{ amount: '100.00', tax: '19.00' }]);
    expect(invoice.creditedTotal).toBe('119.00');
    expect(refusalOf(invoice, [{ line: 1, amount: d('0.01') }]).code).toBe('nothing_to_credit');
  });

  it('credits a quantity as taxable × quantity / line quantity, rounded to the cent', () => {
    // 3 units, net 10.00 after a coupon, tax 1.90: one unit is 3.333… → 3.33, tax round(1.90 × 3.33/10) = 0.63.
    const invoice = invoiceOf([line('12.00', '10.00', '1.90', '3')]);
    const { note } = credit(invoice, [{ line: 1, quantity: d('1') }]);
    expect(note.lines).toEqual([
      expect.objectContaining({ line: 1, quantity: '1', amount: '3.33', tax: '0.63', total: '3.96' }),
    ]);
  });

  it('credits two lines with different taxable amounts after a coupon, each from its own net', () => {
    // 80.00 and 20.00 before a 10.00 coupon split 8.00 / 2.00: nets 72.00 and 18.00, tax 13.68 and 3.42.
    const invoice = invoiceOf([line('80.00', '72.00', '13.68'), line('20.00', '18.00', '3.42')]);
    const { note, invoice: after } = credit(invoice, [
      { line: 2, amount: d('18.00') },
      { line: 1, amount: d('36.00') },
    ]);
    expect(note.lines.map((l) => [l.line, l.amount, l.tax])).toEqual([
      [1, '36.00', '6.84'],
      [2, '18.00', '3.42'],
    ]);
    expect([note.subtotal, note.tax, note.total]).toEqual(['54.00', '10.26', '64.26']);
    expect(refusalOf(after, [{ line: 2, amount: d('0.01') }])).toMatchObject({
      code: 'over_credit',
      details: [{ path: '/lines/0/amount' }],
    });
  });

  it('refuses amounts finer than the minor unit, zero, more than is left and unknown lines, naming the field', () => {
    const invoice = invoiceOf([line('100.00', '100.00', '19.00')]);
    expect(refusalOf(invoice, [{ line: 1, amount: d('0.001') }]).details[0]?.path).toBe('/lines/0/amount');
    expect(refusalOf(invoice, [{ line: 1, amount: d('0') }]).details[0]?.path).toBe('/lines/0/amount');
    expect(refusalOf(invoice, [{ line: 1, amount: d('100.01') }]).code).toBe('over_credit');
    expect(refusalOf(invoice, [{ line: 2, amount: d('1') }]).details[0]?.path).toBe('/lines/0/line');
    expect(
      refusalOf(invoice, [
        { line: 1, amount: d('1') },
        { line: 1, amount: d('1') },
      ]).details[0]?.path,
    ).toBe('/lines/1/line');
    expect(refusalOf(invoice, [{ line: 1, quantity: d('2') }]).details[0]?.path).toBe('/lines/0/quantity');
  });

  it('refuses void and paid-with-reduce_amount_due invoices as conflicts', () => {
    const invoice = invoiceOf([line('100.00', '100.00', '19.00')]);
    expect(refusalOf({ ...invoice, status: 'void' }, [{ line: 1, amount: d('1') }]).kind).toBe('conflict');
    expect(refusalOf({ ...invoice, status: 'paid' }, [{ line: 1, amount: d('1') }], 'reduce_amount_due')).toMatchObject(
      {
        kind: 'conflict',
        code: 'method_not_allowed',
      },
    );
  });

  it('reduce_amount_due lowers the amount due by the note total', () => {
    const invoice = invoiceOf([line('100.00', '100.00', '19.00')]);
    const { invoice: after } = credit(invoice, [{ line: 1, amount: d('10.00') }], 'reduce_amount_due');
    expect(after.amountDue).toBe('107.10');
    expect(contribution(after).total.toFixed(2)).toBe('107.10');
  });

  it('credits what is left on every line (void) to exactly the invoice totals', () => {
    let invoice = invoiceOf([line('80.00', '72.00', '13.68'), line('20.00', '18.00', '3.42')]);
    invoice = credit(invoice, [{ line: 1, amount: d('10.01') }]).invoice;
    const rest = credit(invoice, creditEverythingLeft(invoice), 'reduce_amount_due').invoice;
    expect(rest.creditedTotal).toBe(invoice.total);
    expect(creditEverythingLeft(rest)).toEqual([]);
  });

  it('splits the tax of an invoice without line shares over its lines', () => {
    const invoice = sampleInvoice();
    const everything = credit(invoice, creditEverythingLeft(invoice)).note;
    expect([everything.subtotal, everything.tax, everything.total]).toEqual([
      invoice.subtotal,
      invoice.tax,
      invoice.total,
    ]);
  });
});

describe('credit notes: properties', () => {
  const cents = fc.integer({ min: 0, max: 5_000_000 });
  const lineArb = fc
    .tuple(cents, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2700 }), fc.integer({ min: 1, max: 50 }))
    .map(([amountCents, discountPercent, rateBp, quantity]) => {
      const amount = new Decimal(amountCents).div(100);
      const taxable = d(formatAmount(amount.times(100 - discountPercent).div(100), 'EUR'));
      const rate = new Decimal(rateBp).div(100);
      const tax = d(formatAmount(taxable.times(rate).div(100), 'EUR'));
      return line(amount.toFixed(2), taxable.toFixed(2), tax.toFixed(2), String(quantity), rate.toFixed());
    });
  const steps = fc.array(
    fc.record({
      line: fc.nat(),
      share: fc.integer({ min: 1, max: 1000 }),
      byQuantity: fc.boolean(),
    }),
    { maxLength: 12 },
  );

  it('never credits more net or tax than charged, and crediting all gives exactly the invoice totals', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 5 }), steps, (lines, plan) => {
        let invoice = invoiceOf(lines);
        for (const step of plan) {
          const index = step.line % lines.length;
          const charged = lines[index]!;
          const left = d(charged.taxableAmount).minus(invoice.creditedLines?.[index]?.amount ?? '0');
          if (left.lte(0)) continue;
          const request: CreditLineRequest = step.byQuantity
            ? { line: index + 1, quantity: d(charged.quantity).times(step.share).div(1000) }
            : {
                line: index + 1,
                amount: Decimal.max(d('0.01'), d(formatAmount(left.times(step.share).div(1000), 'EUR', 'down'))),
              };
          const outcome = computeCreditNote(invoice, { lines: [request], method: 'credit_balance' });
          if (!outcome.ok) continue; // a quantity worth less than a cent, or more than is left
          invoice = invoiceAfterCreditNote(
            invoice,
            {
              id: 'cn',
              number: 'CN',
              method: 'credit_balance',
              issuedAt: invoice.issuedAt,
              total: outcome.amounts.total,
            },
            outcome.amounts,
          );
          invoice.lines.forEach((l, i) => {
            const credited = invoice.creditedLines?.[i];
            expect(d(credited?.amount ?? '0').lte(l.taxableAmount ?? l.amount)).toBe(true);
            expect(d(credited?.tax ?? '0').lte(l.tax ?? '0')).toBe(true);
            expect(d(credited?.tax ?? '0').gte(0)).toBe(true);
          });
          expect(d(invoice.creditedTotal ?? '0').lte(invoice.total)).toBe(true);
        }
        const rest = creditEverythingLeft(invoice);
        if (rest.length > 0) {
          const outcome = computeCreditNote(invoice, { lines: rest, method: 'credit_balance' });
          if (!outcome.ok) throw new Error(JSON.stringify(outcome.refusal));
          invoice = invoiceAfterCreditNote(
            invoice,
            {
              id: 'cn',
              number: 'CN',
              method: 'credit_balance',
              issuedAt: invoice.issuedAt,
              total: outcome.amounts.total,
            },
            outcome.amounts,
          );
        }
        expect(sum((invoice.creditedLines ?? []).map((c) => d(c.amount))).toFixed(2)).toBe(invoice.taxableAmount);
        expect(sum((invoice.creditedLines ?? []).map((c) => d(c.tax))).toFixed(2)).toBe(invoice.tax);
        expect(d(invoice.creditedTotal ?? '0').toFixed(2)).toBe(invoice.total);
      }),
      { numRuns: 300 },
    );
  });
});
