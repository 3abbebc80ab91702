import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.js';
import {
  type AccountMapping,
  creditNoteEntries,
  datevAmount,
  datevDate,
  datevFile,
  datevRowLine,
  datevRows,
  datevText,
  fiscalYearBegin,
  invoiceEntries,
  type JournalEntry,
  journalEntries,
  journalRows,
  leadAmount,
  paymentEntries,
} from '../../functions/domain/accounting.js';
import type { CreditNote } from '../../functions/domain/billing/credit-note.js';
import { applyPayment } from '../../functions/domain/billing/payment.js';
import { Decimal } from '../../functions/domain/decimal.js';
import type { Invoice } from '../../functions/domain/invoice.js';
import { parseCsv } from '../support/csv.js';
import { reverseChargeInvoice, sampleInvoice } from '../support/invoice-fixture.js';

const MAPPING: AccountMapping = loadConfig({}).accounting.accounts;
const SETTINGS = {
  consultantNumber: 29098,
  clientNumber: 55003,
  fiscalYearStart: '01-01',
  accountLength: 4,
  chart: '03',
  automaticVat: true,
};

/** [account, debit, credit] per journal row, amounts as strings. */
const postings = (entries: JournalEntry[]) => journalRows(entries).map((row) => [row.account, row.debit, row.credit]);

/** An invoice of 19 % lines 100.00 and a 7 % line 50.00. */
function mixedInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return sampleInvoice({
    subtotal: '150.00',
    taxableAmount: '150.00',
    tax: '22.50',
    total: '172.50',
    taxBreakdown: [
      { category: 'S', rate: '19', taxableAmount: '100.00', tax: '19.00' },
      { category: 'S', rate: '7', taxableAmount: '50.00', tax: '3.50' },
    ],
    ...overrides,
  });
}

function note(overrides: Partial<CreditNote> = {}): CreditNote {
  const invoice = sampleInvoice();
  return {
    id: 'cn_1',
    number: 'CN-2026-000007',
    series: 'CN-2026',
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    customerId: invoice.customerId,
    currency: 'EUR',
    locale: 'de',
    timezone: 'Europe/Berlin',
    issuedAt: '2026-12-05T10:00:00.000Z',
    issueDate: '2026-12-05',
    reason: 'Outage',
    method: 'reduce_amount_due',
    lines: [
      {
        line: 1,
        description: 'Base fee',
        amount: '10.00',
        taxCategory: 'S',
        taxRate: '19',
        tax: '1.90',
        total: '11.90',
      },
    ],
    subtotal: '10.00',
    tax: '1.90',
    total: '11.90',
    seller: invoice.seller,
    buyer: invoice.buyer,
    delivery: { status: 'pending', attempts: 0 },
    ...overrides,
  };
}

const pay = (invoice: Invoice, amount: string, ref: string, source: 'manual' | 'provider' = 'manual') =>
  applyPayment(invoice, {
    id: source === 'manual' ? `manual:${ref}` : `pi_${ref}`,
    source,
    method: source === 'manual' ? 'bank_transfer' : 'card',
    amount: new Decimal(amount),
    currency: 'EUR',
    reference: ref,
    receivedAt: '2026-12-10T09:00:00.000Z',
  }).invoice;

describe('journal entries', () => {
  it('books a 19 % invoice: receivables debit gross, revenue 8400 and VAT 1776 credit', () => {
    const entries = invoiceEntries(sampleInvoice(), MAPPING);
    expect(postings(entries)).toEqual([
      ['1400', '1935.85', ''],
      ['8400', '', '1935.85'],
      ['1400', '367.81', ''],
      ['1776', '', '367.81'],
    ]);
  });

  it('books a 7 % group on 8300 and 1771 next to the 19 % group', () => {
    const entries = invoiceEntries(mixedInvoice(), MAPPING);
    expect(entries[0]?.counters.map((line) => [line.account, line.amount.toFixed(2), line.taxRate])).toEqual([
      ['8400', '100.00', '19'],
      ['1776', '19.00', '19'],
      ['8300', '50.00', '7'],
      ['1771', '3.50', '7'],
    ]);
    expect(leadAmount(entries[0]!).toFixed(2)).toBe('172.50');
  });

  it('books a reverse-charge invoice on 8336 without VAT, and a non-EU one on 8338', () => {
    expect(postings(invoiceEntries(reverseChargeInvoice(), MAPPING))).toEqual([
      ['1400', '1935.85', ''],
      ['8336', '', '1935.85'],
    ]);
    const outsideEu = sampleInvoice({
      tax: '0.00',
      total: '1935.85',
      taxBreakdown: [{ category: 'O', rate: '0', taxableAmount: '1935.85', tax: '0.00' }],
    });
    expect(postings(invoiceEntries(outsideEu, MAPPING))[1]).toEqual(['8338', '', '1935.85']);
  });

  it('books what the customer balance paid of an invoice against the receivable', () => {
    const entries = invoiceEntries(sampleInvoice({ balanceApplied: '100.00' }), MAPPING);
    expect(entries[1]?.documentType).toBe('balance_applied');
    expect(postings([entries[1]!])).toEqual([
      ['1590', '100.00', ''],
      ['1400', '', '100.00'],
    ]);
  });

  it('reverses revenue and VAT for a credit note, against the receivable or the balance by method', () => {
    expect(postings(creditNoteEntries(note(), MAPPING))).toEqual([
      ['1400', '', '10.00'],
      ['8400', '10.00', ''],
      ['1400', '', '1.90'],
      ['1776', '1.90', ''],
    ]);
    const toBalance = creditNoteEntries(note({ method: 'credit_balance' }), MAPPING);
    expect(toBalance[0]?.lead).toEqual({ account: '1590', kind: 'balance', side: 'credit' });
  });

  it('books a partial payment to the bank and a provider payment to the clearing account', () => {
    const invoice = pay(pay(sampleInvoice(), '1000.00', 'ref1'), '303.66', 'ch1', 'provider');
    const entries = paymentEntries(invoice, MAPPING, '2026-12-01', '2026-12-31');
    expect(entries.map((entry) => [entry.lead.account, entry.reference, postings([entry])])).toEqual([
      [
        '1200',
        'ref1',
        [
          ['1200', '1000.00', ''],
          ['1400', '', '1000.00'],
        ],
      ],
      [
        '1360',
        'ch1',
        [
          ['1360', '303.66', ''],
          ['1400', '', '303.66'],
        ],
      ],
    ]);
  });

  it('books an overpayment: the part beyond what is owed to the customer balance', () => {
    const invoice = pay(sampleInvoice(), '2400.00', 'ref2');
    expect(postings(paymentEntries(invoice, MAPPING, '2026-12-10', '2026-12-10'))).toEqual([
      ['1200', '2303.66', ''],
      ['1400', '', '2303.66'],
      ['1200', '96.34', ''],
      ['1590', '', '96.34'],
    ]);
  });

  it('books payments by the local day received, whenever the invoice was issued', () => {
    const invoice = pay(sampleInvoice({ issueDate: '2026-10-01' }), '10.00', 'late');
    const december = journalEntries({
      invoices: [invoice],
      creditNotes: [],
      mapping: MAPPING,
      from: '2026-12-01',
      to: '2026-12-31',
    });
    expect(december.map((entry) => entry.documentType)).toEqual(['payment']);
    expect(
      journalEntries({ invoices: [invoice], creditNotes: [], mapping: MAPPING, from: '2026-12-11', to: '2026-12-31' }),
    ).toEqual([]);
  });

  it('nets the receivable of a void invoice to zero: invoice, balance applied, void note, balance returned', () => {
    const invoice = sampleInvoice({
      status: 'void',
      balanceApplied: '100.00',
      amountDue: '2203.66',
      voided: { at: '2026-12-03T09:30:00.000Z', reason: 'Wrong customer' },
    });
    const voidNote = note({
      method: 'reduce_amount_due',
      void: true,
      issueDate: '2026-12-03',
      lines: [
        {
          line: 1,
          description: 'All',
          amount: '1935.85',
          taxCategory: 'S',
          taxRate: '19',
          tax: '367.81',
          total: '2303.66',
        },
      ],
      subtotal: '1935.85',
      tax: '367.81',
      total: '2303.66',
    });
    const entries = journalEntries({
      invoices: [invoice],
      creditNotes: [voidNote],
      mapping: MAPPING,
      from: '2026-12-01',
      to: '2026-12-31',
    });
    expect(entries.map((entry) => entry.documentType)).toEqual([
      'invoice',
      'balance_applied',
      'credit_note',
      'balance_returned',
    ]);
    const net = (account: string) =>
      journalRows(entries)
        .filter((row) => row.account === account)
        .reduce((total, row) => total.plus(row.debit || 0).minus(row.credit || 0), new Decimal(0));
    expect([net('1400').toFixed(2), net('1590').toFixed(2), net('8400').toFixed(2), net('1776').toFixed(2)]).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '0.00',
    ]);
  });

  it('leaves drafts out', () => {
    const draft = sampleInvoice({ status: 'draft', number: '' });
    expect(
      journalEntries({ invoices: [draft], creditNotes: [], mapping: MAPPING, from: '2026-12-01', to: '2026-12-31' }),
    ).toEqual([]);
  });

  it('balances every document: Σ debit = Σ credit, and the lead carries the document total', () => {
    const cents = fc.integer({ min: 0, max: 10_000_000 }).map((value) => new Decimal(value).div(100));
    const group = fc.record({
      category: fc.constantFrom('S', 'AE', 'O', 'Z', 'E'),
      rate: fc.constantFrom('19', '7', '20', '0'),
      net: cents,
      tax: cents,
    });
    fc.assert(
      fc.property(fc.array(group, { minLength: 1, maxLength: 6 }), cents, cents, (groups, paid, extra) => {
        const total = groups.reduce((acc, g) => acc.plus(g.net).plus(g.tax), new Decimal(0));
        let invoice = sampleInvoice({
          total: total.toFixed(2),
          amountDue: total.toFixed(2),
          taxBreakdown: groups.map((g) => ({
            category: g.category,
            rate: g.rate,
            taxableAmount: g.net.toFixed(2),
            tax: g.tax.toFixed(2),
          })),
        });
        if (paid.gt(0)) invoice = pay(invoice, paid.plus(extra).toFixed(2), 'p');
        const entries = journalEntries({
          invoices: [invoice],
          creditNotes: [],
          mapping: MAPPING,
          from: '2026-12-01',
          to: '2026-12-31',
        });
        const byDocument = new Map<string, { debit: Decimal; credit: Decimal }>();
        for (const row of journalRows(entries)) {
          const key = `${row.documentType}#${row.reference}`;
          const sums = byDocument.get(key) ?? { debit: new Decimal(0), credit: new Decimal(0) };
          byDocument.set(key, { debit: sums.debit.plus(row.debit || 0), credit: sums.credit.plus(row.credit || 0) });
        }
        for (const sums of byDocument.values()) expect(sums.debit.eq(sums.credit)).toBe(true);
        const booked = entries.find((entry) => entry.documentType === 'invoice');
        expect((booked ? leadAmount(booked) : new Decimal(0)).eq(total)).toBe(true);
        const payment = entries.find((entry) => entry.documentType === 'payment');
        if (paid.gt(0)) expect(leadAmount(payment!).eq(paid.plus(extra))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('DATEV lines', () => {
  it('writes amounts with a decimal comma, two decimals, positive, no thousands separator', () => {
    expect([
      datevAmount(new Decimal('1234567.5')),
      datevAmount(new Decimal('-0.01')),
      datevAmount(new Decimal(0)),
    ]).toEqual(['1234567,50', '0,01', '0,00']);
  });

  it('writes Belegdatum as DDMM', () => {
    expect(datevDate('2026-03-07')).toBe('0703');
  });

  it('quotes text, doubles quotes, removes line breaks and cuts Buchungstext to 60 characters', () => {
    expect(datevText('Say "hi"', 60)).toBe('"Say ""hi"""');
    expect(datevText('a\r\nb\tc', 60)).toBe('"a b c"');
    expect(datevText('x'.repeat(80), 60)).toBe(`"${'x'.repeat(60)}"`);
    expect(datevText('Müller € 🙂 \ud800', 60)).toBe('"Müller € ? ?"');
    expect(datevText('=HYPERLINK("x")', 60)).toBe('"\'=HYPERLINK(""x"")"');
    expect(datevText('  -1+1', 60)).toBe('"\'-1+1"');
  });

  it('folds the VAT into the gross row on automatic accounts, one row per tax group', () => {
    const rows = datevRows(invoiceEntries(mixedInvoice(), MAPPING), SETTINGS, MAPPING);
    expect(rows.map((row) => [row.amount.toFixed(2), row.side, row.account, row.contraAccount])).toEqual([
      ['119.00', 'S', '1400', '8400'],
      ['53.50', 'S', '1400', '8300'],
    ]);
    const split = datevRows(invoiceEntries(mixedInvoice(), MAPPING), { automaticVat: false }, MAPPING);
    expect(split.map((row) => row.contraAccount)).toEqual(['8400', '1776', '8300', '1771']);
  });

  it('books a negative tax group on the other side, with a positive amount', () => {
    const invoice = sampleInvoice({
      total: '109.00',
      taxBreakdown: [
        { category: 'S', rate: '19', taxableAmount: '100.00', tax: '19.00' },
        { category: 'S', rate: '7', taxableAmount: '-10.00', tax: '0.00' },
      ],
    });
    const entries = invoiceEntries(invoice, MAPPING);
    expect(
      datevRows(entries, SETTINGS, MAPPING).map((row) => [row.amount.toFixed(2), row.side, row.contraAccount]),
    ).toEqual([
      ['119.00', 'S', '8400'],
      ['10.00', 'H', '8300'],
    ]);
    expect(postings(entries).slice(4)).toEqual([
      ['1400', '', '10.00'],
      ['8300', '10.00', ''],
    ]);
  });

  it('writes a non-EUR document in its own currency (WKZ) without a Kurs', () => {
    const [row] = datevRows(invoiceEntries(sampleInvoice({ currency: 'USD' }), MAPPING), SETTINGS, MAPPING);
    expect(datevRowLine(row!).split(';').slice(0, 6)).toEqual(['2303,66', '"S"', '"USD"', '', '', '""']);
  });

  it('writes a credit note as H rows against the receivable', () => {
    const [row] = datevRows(creditNoteEntries(note(), MAPPING), SETTINGS, MAPPING);
    expect(datevRowLine(row!)).toBe(
      '11,90;"H";"EUR";;;"";1400;8400;"";0512;"CN-2026-000007";"";;"Credit note CN-2026-000007 Müller & Söhne Maschinenbau KG"',
    );
  });

  it('writes the EXTF header, the column names and CRLF line ends', () => {
    const file = datevFile(
      invoiceEntries(sampleInvoice(), MAPPING),
      SETTINGS,
      MAPPING,
      { from: '2026-12-01', to: '2026-12-31' },
      new Date('2027-01-02T03:04:05.678Z'),
    );
    const [header, columns, row, end] = file.split('\r\n');
    expect(end).toBe('');
    const fields = parseCsv(`${header}\r\n`, ';')[0]!;
    expect(fields.slice(0, 17)).toEqual([
      'EXTF',
      '700',
      '21',
      'Buchungsstapel',
      '13',
      '20270102030405678',
      '',
      'RE',
      '',
      '',
      '29098',
      '55003',
      '20260101',
      '4',
      '20261201',
      '20261231',
      'Billing 2026-12-01 2026-12-31',
    ]);
    expect(fields).toHaveLength(31);
    expect(columns?.split(';').slice(0, 3)).toEqual([
      'Umsatz (ohne Soll/Haben-Kz)',
      'Soll/Haben-Kennzeichen',
      'WKZ Umsatz',
    ]);
    expect(row).toMatch(/^2303,66;"S";"EUR";;;"";1400;8400;"";0112;"INV-2026-000042";/);
  });

  it('finds the fiscal year that holds a date', () => {
    expect(fiscalYearBegin('2026-12-31', '01-01')).toBe('2026-01-01');
    expect(fiscalYearBegin('2026-03-31', '07-01')).toBe('2025-07-01');
    expect(fiscalYearBegin('2026-07-01', '07-01')).toBe('2026-07-01');
  });
});

describe('accounting config', () => {
  it('defaults to SKR03 accounts', () => {
    expect(MAPPING).toEqual({
      receivables: '1400',
      revenue19: '8400',
      vat19: '1776',
      revenue7: '8300',
      vat7: '1771',
      revenueReverseCharge: '8336',
      revenueNonTaxable: '8338',
      revenueOtherRate: '8200',
      vatOtherRate: '1770',
      bank: '1200',
      providerClearing: '1360',
      customerBalance: '1590',
    });
  });

  it.each([
    [{ BILLING_ACCOUNT_BANK: '12a0' }, /BILLING_ACCOUNT_BANK must be an account number/],
    [{ BILLING_ACCOUNT_BANK: '12000' }, /BILLING_ACCOUNT_BANK must have 4 digits/],
    [{ BILLING_DATEV_ACCOUNT_LENGTH: '9' }, /BILLING_DATEV_ACCOUNT_LENGTH must be between 4 and 8/],
    [{ BILLING_DATEV_CONSULTANT_NUMBER: '12' }, /BILLING_DATEV_CONSULTANT_NUMBER must be between 1001/],
    [{ BILLING_DATEV_CLIENT_NUMBER: 'x' }, /BILLING_DATEV_CLIENT_NUMBER must be a whole number/],
    [{ BILLING_DATEV_FISCAL_YEAR_START: '02-30' }, /BILLING_DATEV_FISCAL_YEAR_START must be/],
    [{ BILLING_DATEV_CHART: '05' }, /BILLING_DATEV_CHART must be 03/],
    [{ BILLING_DATEV_AUTOMATIC_VAT: 'yes' }, /BILLING_DATEV_AUTOMATIC_VAT must be 1/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
