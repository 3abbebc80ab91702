import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountPaidOf,
  amountRemainingOf,
  applyPayment,
  fromMinorUnits,
  PaymentRefused,
  type PaymentRequest,
  paymentStatusOf,
  toMinorUnits,
} from '../../functions/domain/billing/payment.js';
import { Decimal } from '../../functions/domain/decimal.js';
import type { Invoice } from '../../functions/domain/invoice.js';
import { revenueChange } from '../../functions/domain/revenue.js';
import { jpyInvoice, sampleInvoice } from '../support/invoice-fixture.js';

/** Payments against an invoice (total 2303.66 EUR): partial, settling, overpaid, repeated, refused. */
const request = (amount: string, overrides: Partial<PaymentRequest> = {}): PaymentRequest => ({
  id: `manual:${amount}`,
  source: 'manual',
  method: 'bank_transfer',
  amount: new Decimal(amount),
  currency: 'EUR',
  reference: `ref ${amount}`,
  receivedAt: '2026-12-05T10:00:00.000Z',
  ...overrides,
});

describe('applyPayment', () => {
  it('leaves the rest owed after a partial payment, and settles with the rest', () => {
    const invoice = sampleInvoice();
    const first = applyPayment(invoice, request('1000'));
    expect(first.payment).toMatchObject({ amount: '1000.00', applied: '1000.00', overpaid: '0.00' });
    expect(first.invoice).toMatchObject({
      status: 'finalized',
      paymentStatus: 'partially_paid',
      amountPaid: '1000.00',
    });
    expect(amountRemainingOf(first.invoice).toFixed(2)).toBe('1303.66');
    const second = applyPayment(first.invoice, request('1303.66'));
    expect(second.invoice).toMatchObject({
      status: 'paid',
      paymentStatus: 'paid',
      amountPaid: '2303.66',
      payment: { paidAt: '2026-12-05T10:00:00.000Z', reference: 'ref 1303.66' },
    });
    expect(amountRemainingOf(second.invoice).toFixed(2)).toBe('0.00');
  });

  it('sends what exceeds the rest to the balance (overpaid), and all of a payment on a paid or void invoice', () => {
    const paid = applyPayment(sampleInvoice(), request('2400')).invoice;
    expect(paid.payments?.[0]).toMatchObject({ applied: '2303.66', overpaid: '96.34' });
    const late = applyPayment(paid, request('50', { id: 'pi_late' }));
    expect(late.payment).toMatchObject({ applied: '0.00', overpaid: '50.00' });
    expect(late.invoice.status).toBe('paid');
    const voided = applyPayment(sampleInvoice({ status: 'void' }), request('10'));
    expect(voided.payment.overpaid).toBe('10.00');
    expect(voided.invoice.status).toBe('void');
  });

  it('records the same payment id once, and refuses it with another amount', () => {
    const once = applyPayment(sampleInvoice(), request('100')).invoice;
    const again = applyPayment(once, request('100'));
    expect(again.duplicate).toBe(true);
    expect(again.invoice).toBe(once);
    expect(() => applyPayment(once, request('101', { id: 'manual:100' }))).toThrow(PaymentRefused);
  });

  it('refuses drafts and another currency', () => {
    expect(() => applyPayment(sampleInvoice({ status: 'draft' }), request('1'))).toThrow(/draft/);
    expect(() => applyPayment(sampleInvoice(), request('1', { currency: 'USD' }))).toThrow(/USD/);
  });

  it('reads invoices marked paid before partial payments as paid in full', () => {
    const legacy = sampleInvoice({ status: 'paid', payment: { paidAt: '2026-12-02T00:00:00Z', reference: 'x' } });
    expect(amountPaidOf(legacy).toFixed(2)).toBe('2303.66');
    expect(paymentStatusOf(legacy)).toBe('paid');
    expect(paymentStatusOf(sampleInvoice())).toBe('pending');
    expect(amountRemainingOf(sampleInvoice({ status: 'draft' })).toFixed(2)).toBe('0.00');
  });

  it('counts what was received in the revenue figures', () => {
    const invoice = sampleInvoice();
    const partly = applyPayment(invoice, request('1000')).invoice;
    expect(revenueChange(invoice, partly)?.paid.toFixed(2)).toBe('1000.00');
    const settled = applyPayment(partly, request('1303.66')).invoice;
    expect(revenueChange(partly, settled)?.paid.toFixed(2)).toBe('1303.66');
  });

  it('never applies more than is owed, and applied + overpaid is what was received (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 8 }), (cents) => {
        let invoice: Invoice = sampleInvoice();
        cents.forEach((amount, index) => {
          invoice = applyPayment(
            invoice,
            request(new Decimal(amount).div(100).toFixed(2), { id: `p${index}` }),
          ).invoice;
        });
        const payments = invoice.payments ?? [];
        const applied = payments.reduce((sum, p) => sum.plus(p.applied), new Decimal(0));
        for (const p of payments) expect(new Decimal(p.applied).plus(p.overpaid).eq(p.amount)).toBe(true);
        expect(applied.lte('2303.66')).toBe(true);
        expect(new Decimal(invoice.amountPaid ?? 0).eq(applied)).toBe(true);
        expect(invoice.status === 'paid').toBe(applied.eq('2303.66'));
        expect(
          amountRemainingOf(invoice)
            .plus(applied)
            .eq(invoice.status === 'paid' ? applied : '2303.66'),
        ).toBe(true);
      }),
    );
  });
});

describe('minor units', () => {
  it('converts to and from the currency minor unit', () => {
    expect(toMinorUnits(new Decimal('119.00'), 'EUR')).toBe(11900);
    expect(toMinorUnits(new Decimal('1500'), 'JPY')).toBe(1500);
    expect(toMinorUnits(new Decimal('1.234'), 'BHD')).toBe(1234);
    expect(fromMinorUnits(11900, 'EUR').toFixed(2)).toBe('119.00');
    expect(fromMinorUnits(1500, 'JPY').toFixed(0)).toBe('1500');
    expect(() => toMinorUnits(new Decimal('0.001'), 'EUR')).toThrow(RangeError);
    expect(jpyInvoice().currency).toBe('JPY');
  });
});
