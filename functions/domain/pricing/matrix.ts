import { sum } from '../decimal.js';
import { describeCombination, PriceInputError, UnpricedUsageError } from './errors.js';
import { type EvaluateNested, fmt, type ModelResult } from './shared.js';
import type { MatrixPrice, Price, PriceInput, PriceLine, UsageRecord } from './types.js';

interface Group {
  /** The record values of the matrix's dimensions (undefined = the record lacks that dimension). */
  values: Record<string, string | undefined>;
  price: Price;
  isDefault: boolean;
  records: UsageRecord[];
}

function combinationKey(values: readonly (string | undefined)[]): string {
  return JSON.stringify(values);
}

/**
 * Each usage record goes to the first entry whose `match` equals the record's values for all the
 * matrix's dimensions; unmatched records go to the default price, grouped per combination (no default:
 * {@link UnpricedUsageError}). Each group's price is evaluated on the group's records (so nested matrix
 * and time_of_use prices work) and yields one line with the nested lines. Groups follow entry order,
 * then default combinations in order of first appearance; entries without usage yield no line.
 */
export function evaluateMatrix(price: MatrixPrice, input: PriceInput, evaluate: EvaluateNested): ModelResult {
  if (input.usage === undefined) {
    throw new PriceInputError(
      `the matrix model needs usage records with the dimensions ${price.dimensions.join(', ')}`,
    );
  }
  const entryIndex = new Map<string, number>();
  for (const [index, entry] of price.entries.entries()) {
    const key = combinationKey(price.dimensions.map((dimension) => entry.match[dimension]));
    if (!entryIndex.has(key)) entryIndex.set(key, index);
  }
  const entryGroups = new Map<number, Group>();
  const defaultGroups = new Map<string, Group>();
  for (const record of input.usage) {
    const values = price.dimensions.map((dimension) =>
      Object.hasOwn(record.dimensions, dimension) ? record.dimensions[dimension] : undefined,
    );
    const key = combinationKey(values);
    const index = entryIndex.get(key);
    const entry = index === undefined ? undefined : price.entries[index];
    if (index !== undefined && entry !== undefined) {
      const group = entryGroups.get(index) ?? {
        values: entry.match,
        price: entry.price,
        isDefault: false,
        records: [],
      };
      group.records.push(record);
      entryGroups.set(index, group);
      continue;
    }
    const combination = Object.fromEntries(price.dimensions.map((dimension, i) => [dimension, values[i]]));
    if (price.defaultPrice === undefined) throw new UnpricedUsageError(combination);
    const group = defaultGroups.get(key) ?? {
      values: combination,
      price: price.defaultPrice,
      isDefault: true,
      records: [],
    };
    group.records.push(record);
    defaultGroups.set(key, group);
  }
  const ordered = [
    ...[...entryGroups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group),
    ...defaultGroups.values(),
  ];
  const lines = ordered.map((group): PriceLine => {
    const quantity = sum(group.records.map((record) => record.quantity));
    const evaluation = evaluate(group.price, {
      quantity,
      usage: group.records,
      events: group.records.map((record) => record.quantity),
      ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone }),
    });
    const dimensions: Record<string, string> = {};
    for (const [dimension, value] of Object.entries(group.values))
      if (value !== undefined) dimensions[dimension] = value;
    return {
      kind: 'group',
      description: `${describeCombination(group.values)}${group.isDefault ? ' (default price)' : ''}: ${fmt(evaluation.quantity)} units`,
      quantity: evaluation.quantity,
      preciseAmount: evaluation.preciseAmount,
      dimensions,
      events: group.records.length,
      model: group.price.model,
      lines: evaluation.lines,
    };
  });
  return { quantity: sum(input.usage.map((record) => record.quantity)), lines };
}
