/**
 * Pricing benchmark: evaluations per second of each price model on exact decimals, and the same
 * 5-tier graduated price computed on plain JS numbers in the same run as a reference
 * (ratio = decimal / number). Figures only; nothing here passes or fails.
 *
 *   npx tsx bench/pricing.ts
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Decimal } from '../functions/domain/decimal.js';
import { evaluatePrice } from '../functions/domain/pricing/index.js';
import type { Price, PriceInput } from '../functions/domain/pricing/types.js';
import { PriceSchema } from '../functions/schemas/price-model.js';

interface Case {
  name: string;
  price: Price;
  inputs: PriceInput[];
  iterations: number;
}

interface Result {
  name: string;
  iterations: number;
  milliseconds: number;
  perSecond: number;
}

const GRADUATED_TIERS = [
  { upTo: 1_000, unitPrice: 0.01 },
  { upTo: 10_000, unitPrice: 0.008 },
  { upTo: 100_000, unitPrice: 0.005 },
  { upTo: 1_000_000, unitPrice: 0.003 },
  { upTo: null, unitPrice: 0.001 },
] as const;

const graduatedWire = {
  model: 'graduated',
  tiers: GRADUATED_TIERS.map((tier) => ({
    up_to: tier.upTo === null ? null : String(tier.upTo),
    unit_price: String(tier.unitPrice),
  })),
};

/** Quantities spread over all five tiers, with fractions. */
function quantities(count: number): number[] {
  return Array.from({ length: count }, (_, i) => ((i * 7919) % 2_000_000) + 0.25);
}

function records(count: number, seed: number): PriceInput['usage'] {
  const models = ['large', 'small', 'other'];
  const regions = ['eu', 'us'];
  return Array.from({ length: count }, (_, i) => ({
    dimensions: { model: models[(i + seed) % 3] ?? 'large', region: regions[(i * 7 + seed) % 2] ?? 'eu' },
    time: new Date(Date.UTC(2026, 9, 19) + ((i * 3_600_000 * 5 + seed * 60_000) % (7 * 86_400_000))),
    quantity: new Decimal(((i * 37 + seed) % 500) + 0.5),
  }));
}

function cases(): Case[] {
  const quantityInputs = quantities(1000).map((quantity): PriceInput => ({ quantity: new Decimal(quantity) }));
  const eventInputs = Array.from(
    { length: 200 },
    (_, seed): PriceInput => ({
      events: Array.from({ length: 10 }, (_, i) => new Decimal(((i * 131 + seed * 17) % 900) + 0.99)),
    }),
  );
  const usageInputs = Array.from(
    { length: 50 },
    (_, seed): PriceInput => ({ usage: records(10, seed), timeZone: 'Europe/Berlin' }),
  );
  const parse = (wire: unknown): Price => PriceSchema.parse(wire);
  return [
    {
      name: 'per_unit',
      price: parse({ model: 'per_unit', unit_price: '0.0042' }),
      inputs: quantityInputs,
      iterations: 100_000,
    },
    {
      name: 'package',
      price: parse({ model: 'package', package_size: '1000', package_price: '2.5', free_units: '500' }),
      inputs: quantityInputs,
      iterations: 100_000,
    },
    { name: 'graduated (5 tiers)', price: parse(graduatedWire), inputs: quantityInputs, iterations: 100_000 },
    {
      name: 'volume (5 tiers)',
      price: parse({ ...graduatedWire, model: 'volume' }),
      inputs: quantityInputs,
      iterations: 100_000,
    },
    {
      name: 'overage',
      price: parse({ model: 'overage', included_units: '10000', unit_price: '0.002' }),
      inputs: quantityInputs,
      iterations: 100_000,
    },
    {
      name: 'graduated_percentage (3 tiers)',
      price: parse({
        model: 'graduated_percentage',
        tiers: [
          { up_to: '10000', rate_percent: '2', flat_fee: '0.25' },
          { up_to: '100000', rate_percent: '1.5' },
          { up_to: null, rate_percent: '1' },
        ],
      }),
      inputs: quantityInputs,
      iterations: 100_000,
    },
    {
      name: 'percentage (10 events)',
      price: parse({
        model: 'percentage',
        rate_percent: '2.9',
        fixed_fee_per_event: '0.3',
        free_events: 2,
        free_amount: '500',
      }),
      inputs: eventInputs,
      iterations: 50_000,
    },
    {
      name: 'percentage min/max (10 events)',
      price: parse({
        model: 'percentage',
        rate_percent: '2.9',
        fixed_fee_per_event: '0.3',
        per_event_min: '1',
        per_event_max: '20',
      }),
      inputs: eventInputs,
      iterations: 50_000,
    },
    {
      name: 'matrix (10 records)',
      price: parse({
        model: 'matrix',
        dimensions: ['model', 'region'],
        entries: [
          { match: { model: 'large', region: 'eu' }, price: { model: 'per_unit', unit_price: '0.03' } },
          { match: { model: 'large', region: 'us' }, price: { model: 'per_unit', unit_price: '0.02' } },
          { match: { model: 'small', region: 'eu' }, price: graduatedWire },
        ],
        default_price: { model: 'per_unit', unit_price: '0.05' },
      }),
      inputs: usageInputs,
      iterations: 20_000,
    },
    {
      name: 'time_of_use (10 records)',
      price: parse({
        model: 'time_of_use',
        bands: [
          {
            name: 'peak',
            days: ['mon', 'tue', 'wed', 'thu', 'fri'],
            from: '08:00',
            to: '20:00',
            price: { model: 'per_unit', unit_price: '0.3' },
          },
          {
            name: 'night',
            days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
            from: '22:00',
            to: '06:00',
            price: { model: 'per_unit', unit_price: '0.1' },
          },
        ],
        default_price: { model: 'per_unit', unit_price: '0.2' },
      }),
      inputs: usageInputs,
      iterations: 10_000,
    },
  ];
}

/** Keeps results observable so the loops cannot be optimized away. */
let sink = 0;

function measure(name: string, iterations: number, run: (i: number) => void): Result {
  const warmup = Math.max(1, Math.floor(iterations / 10));
  for (let i = 0; i < warmup; i++) run(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run(i);
  const milliseconds = performance.now() - start;
  return { name, iterations, milliseconds, perSecond: (iterations / milliseconds) * 1000 };
}

function benchCase(benchmark: Case): Result {
  const { price, inputs } = benchmark;
  return measure(benchmark.name, benchmark.iterations, (i) => {
    const input = inputs[i % inputs.length] as PriceInput;
    sink += evaluatePrice(price, input).lines.length;
  });
}

/** The same 5-tier graduated price on binary doubles (inexact; a speed reference only). */
function graduatedOnNumbers(quantity: number): number {
  let total = 0;
  let from = 0;
  for (const tier of GRADUATED_TIERS) {
    const top = tier.upTo === null || quantity < tier.upTo ? quantity : tier.upTo;
    total += (top - from) * tier.unitPrice;
    if (tier.upTo === null || quantity <= tier.upTo) break;
    from = tier.upTo;
  }
  return total;
}

function benchNumberReference(iterations: number): Result {
  const inputs = quantities(1000);
  return measure('graduated (5 tiers) on JS numbers', iterations, (i) => {
    sink += graduatedOnNumbers(inputs[i % inputs.length] as number);
  });
}

function formatRow(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
}

export function main(): Result[] {
  const results = cases().map(benchCase);
  const reference = benchNumberReference(100_000);
  const all = [...results, reference];
  const header = ['model', 'evaluations', 'ms', 'evaluations/s'];
  const rows = all.map((result) => [
    result.name,
    result.iterations.toLocaleString('en-US'),
    result.milliseconds.toFixed(1),
    Math.round(result.perSecond).toLocaleString('en-US'),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)));
  console.log(`pricing benchmark (Node ${process.version}, Decimal precision ${Decimal.precision})`);
  console.log(formatRow(header, widths));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(formatRow(row, widths));
  const graduated = results.find((result) => result.name === 'graduated (5 tiers)');
  if (graduated !== undefined) {
    const ratio = graduated.perSecond / reference.perSecond;
    console.log(
      `\nratio decimal / number (5-tier graduated): ${ratio.toFixed(4)} (numbers are ${(1 / ratio).toFixed(0)}× faster, and inexact)`,
    );
  }
  if (sink === Number.NEGATIVE_INFINITY) console.log(sink);
  return all;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main();
}
