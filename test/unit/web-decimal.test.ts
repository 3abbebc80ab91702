import { describe, expect, it } from 'vitest';
import { isPositive, minus } from '../../web/src/decimal.js';

describe('what is left of an amount as the dashboard computes it', () => {
  it.each([
    ['5.00', [], '5.00'],
    ['5.00', ['3.00'], '2.00'],
    ['5.00', ['3'], '2.00'],
    ['10', ['0.5'], '9.5'],
    ['0.30', ['0.10', '0.20'], '0.00'],
    ['100.00', ['33.33', '33.33', '33.34'], '0.00'],
    ['1.00', ['2.50'], '-1.50'],
    ['1000', ['1'], '999'],
    ['0.001', ['0.0005'], '0.0005'],
    ['-2.00', ['1.00'], '-3.00'],
    ['123456789012345678.99', ['0.01'], '123456789012345678.98'],
  ])('%s minus %j is %s', (from, parts, left) => {
    expect(minus(from, parts)).toBe(left);
  });

  it.each([
    ['0.00', false],
    ['0', false],
    ['-1.00', false],
    ['0.01', true],
    ['12', true],
  ])('%s is positive: %s', (value, positive) => {
    expect(isPositive(value)).toBe(positive);
  });
});
