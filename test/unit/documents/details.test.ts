import { describe, expect, it } from 'vitest';
import { breakdownRows, hasInformativeBreakdown } from '../../../functions/adapters/documents/details.js';
import type { PriceDetail } from '../../../functions/domain/invoice.js';
import { graduatedUsageLine, matrixUsageLine, perUnitLine } from '../../support/invoice-fixture.js';
import { plainSpaces } from './pdf-text.js';

function rowsOf(details: PriceDetail[], locale = 'en') {
  return breakdownRows(graduatedUsageLine({ details }), 'EUR', locale).map((row) => ({
    ...row,
    label: plainSpaces(row.label),
    unitPrice: row.unitPrice === undefined ? undefined : plainSpaces(row.unitPrice),
    amount: plainSpaces(row.amount),
  }));
}

describe('breakdownRows', () => {
  it('labels graduated tiers by range, with the flat fee', () => {
    expect(rowsOf(graduatedUsageLine().details).map((row) => row.label)).toEqual([
      'Tier 1 (up to 10,000): flat fee €5.00',
      'Tier 2 (over 10,000 up to 100,000)',
      'Tier 3 (over 100,000)',
    ]);
  });

  it('nests matrix cells one level deeper than their group', () => {
    const rows = breakdownRows(matrixUsageLine(), 'EUR', 'en');
    expect(rows.map((row) => [row.depth, row.label])).toEqual([
      [1, 'region: eu'],
      [2, 'Usage'],
      [1, 'region: us'],
      [2, 'Tier 1 (up to 100)'],
      [2, 'Tier 2 (over 100): 4 × 100 units at €1.00'],
    ]);
  });

  it.each<[string, PriceDetail, string]>([
    [
      'included units',
      {
        kind: 'included',
        description: '50 of 50 free units',
        quantity: '50',
        precise_amount: '0',
        amount: '0.00',
        free_quantity: '50',
      },
      'Included',
    ],
    [
      'packages',
      {
        kind: 'usage',
        description: '1184 units in 12 packages of 100 (partial packages rounded up) × 5',
        quantity: '1184',
        precise_amount: '60',
        amount: '60.00',
        blocks: '12',
        block_size: '100',
        block_price: '5',
      },
      'Usage: 12 × 100 units at €5.00',
    ],
    [
      'a percentage with a free amount',
      {
        kind: 'percentage',
        description: '2.5% of 1100 (1110 minus 10 free) over 3 events',
        quantity: '1110',
        precise_amount: '27.5',
        amount: '27.50',
        free_quantity: '10',
        rate_percent: '2.5',
        events: 3,
      },
      '2.5% of €1,110.00: €10.00 free',
    ],
    [
      'a graduated percentage tier',
      {
        kind: 'tier',
        description: 'Tier 2 (over 1000): 1% of 4000 + flat fee 2',
        quantity: '4000',
        flat_fee: '2',
        precise_amount: '42',
        amount: '42.00',
        tier: { index: 1, from: '1000', up_to: null },
        rate_percent: '1',
      },
      'Tier 2 (over 1,000): 1% of €4,000.00, flat fee €2.00',
    ],
    [
      'the maximum spend',
      {
        kind: 'maximum_spend',
        description: 'capped from 25 at the maximum spend 10',
        quantity: '0',
        precise_amount: '-15',
        amount: '-15.00',
      },
      'Maximum spend adjustment',
    ],
    [
      'a time band',
      {
        kind: 'band',
        description: 'peak (mon 08:00–20:00): 5 units',
        quantity: '5',
        precise_amount: '1.5',
        amount: '1.50',
        band: 'peak',
      },
      'peak',
    ],
    [
      'an unknown kind, by its description',
      { kind: 'future_kind', description: 'something new', quantity: '1', precise_amount: '1', amount: '1.00' },
      'something new',
    ],
  ])('describes %s', (_, detail, label) => {
    expect(rowsOf([detail])[0]?.label).toBe(label);
  });

  it('writes the labels in German for a German invoice', () => {
    expect(rowsOf(graduatedUsageLine().details, 'de').map((row) => row.label)).toEqual([
      'Stufe 1 (bis 10.000): Pauschale 5,00 €',
      'Stufe 2 (über 10.000 bis 100.000)',
      'Stufe 3 (über 100.000)',
    ]);
  });

  it('shows negative amounts with their sign', () => {
    const detail: PriceDetail = {
      kind: 'maximum_spend',
      description: '',
      quantity: '0',
      precise_amount: '-15',
      amount: '-15.00',
    };
    expect(rowsOf([detail], 'de')[0]?.amount).toBe('-15,00 €');
  });
});

describe('hasInformativeBreakdown', () => {
  it('skips a single per-unit row that only repeats the line', () => {
    expect(hasInformativeBreakdown(perUnitLine(0))).toBe(false);
  });

  it('keeps tiers and nested groups', () => {
    expect(hasInformativeBreakdown(graduatedUsageLine())).toBe(true);
    expect(hasInformativeBreakdown(matrixUsageLine())).toBe(true);
  });
});
