import type { PlanVersion } from '../domain/billing/plan.js';
import { aggregationOf } from '../domain/metering/aggregations/index.js';
import type { Meter } from '../domain/metering/meter.js';
import type { Price } from '../domain/pricing/types.js';
import { InvalidInputError } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { StoredPlanVersion } from './ports/plans.js';

type ErrorDetail = { path: string; message: string };

import { StoredPlanSchema } from '../schemas/plans.js';
import { PriceSchema } from '../schemas/price-model.js';

export interface PlanDeps {
  plans: {
    put(plan: StoredPlanVersion): Promise<void>;
    latest(key: string): Promise<StoredPlanVersion>;
    get(key: string, version: number): Promise<StoredPlanVersion>;
  };
  meters: { list(): Promise<Meter[]> };
  clock: Clock;
}

/** What a price model needs from its meter; each problem names the JSON path. */
export function checkPriceAgainstMeter(price: Price, meter: Meter, path: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const aggregation = aggregationOf(meter.aggregation);
  const walk = (p: Price, at: string) => {
    switch (p.model) {
      case 'matrix':
        p.dimensions.forEach((dimension, i) => {
          if (!meter.groupBy.includes(dimension)) {
            problems.push({
              path: `${at}/dimensions/${i}`,
              message: `meter '${meter.key}' does not group by '${dimension}' (it groups by ${meter.groupBy.join(', ') || 'nothing'})`,
            });
          }
        });
        p.entries.forEach((entry, i) => {
          walk(entry.price, `${at}/entries/${i}/price`);
        });
        if (p.defaultPrice) walk(p.defaultPrice, `${at}/default_price`);
        break;
      case 'time_of_use':
        if (!aggregation.additive) {
          problems.push({
            path: `${at}/model`,
            message: `time_of_use needs a sum or count meter; '${meter.key}' is ${meter.aggregation}`,
          });
        }
        p.bands.forEach((band, i) => {
          for (const field of ['from', 'to'] as const) {
            const minutes = Number(band[field].slice(3, 5));
            if (minutes % 15 !== 0)
              problems.push({
                path: `${at}/bands/${i}/${field}`,
                message: 'must be a multiple of 15 minutes (usage is counted in 15-minute buckets)',
              });
          }
          walk(band.price, `${at}/bands/${i}/price`);
        });
        walk(p.defaultPrice, `${at}/default_price`);
        break;
      case 'percentage':
        if (!aggregation.sumsAmounts) {
          problems.push({
            path: `${at}/model`,
            message: `percentage prices per-event amounts and needs a sum meter; '${meter.key}' is ${meter.aggregation}`,
          });
        }
        break;
      case 'graduated_percentage':
        if (!aggregation.sumsAmounts)
          problems.push({
            path: `${at}/model`,
            message: `graduated_percentage needs a sum meter (an amount); '${meter.key}' is ${meter.aggregation}`,
          });
        break;
      case 'per_unit':
      case 'package':
      case 'graduated':
      case 'volume':
      case 'overage':
        // Quantity prices fit every meter.
        break;
      default: {
        const unknown: never = p;
        throw new Error(`no meter check for price model ${(unknown as Price).model}`);
      }
    }
  };
  walk(price, path);
  return problems;
}

/** Checks a plan's charges against the meters that exist. */
async function checkCharges(deps: PlanDeps, wire: Record<string, unknown>): Promise<void> {
  const plan = StoredPlanSchema.parse({ ...wire, key: 'check', version: 1, created_at: '' });
  const meters = new Map((await deps.meters.list()).map((m) => [m.key, m]));
  const problems: ErrorDetail[] = [];
  plan.charges.forEach((charge, index) => {
    const meter = meters.get(charge.meter);
    if (!meter) {
      problems.push({ path: `/charges/${index}/meter`, message: `no meter with key '${charge.meter}'` });
      return;
    }
    problems.push(...checkPriceAgainstMeter(charge.price, meter, `/charges/${index}/price`));
  });
  if (problems.length > 0) throw new InvalidInputError(problems, 'the plan does not fit its meters');
}

/** Creates version 1 of a plan (the body was validated by the schema). */
export async function createPlan(
  deps: PlanDeps,
  body: Record<string, unknown> & { key: string },
): Promise<StoredPlanVersion> {
  await checkCharges(deps, body);
  const plan: StoredPlanVersion = { ...body, key: body.key, version: 1, created_at: deps.clock().toISOString() };
  await deps.plans.put(plan);
  return plan;
}

/** Adds the next version; versions are immutable, so invoices already issued never change. */
export async function createPlanVersion(
  deps: PlanDeps,
  key: string,
  body: Record<string, unknown>,
): Promise<StoredPlanVersion> {
  const latest = await deps.plans.latest(key);
  await checkCharges(deps, body);
  const plan: StoredPlanVersion = { ...body, key, version: latest.version + 1, created_at: deps.clock().toISOString() };
  await deps.plans.put(plan);
  return plan;
}

export function toPlanVersion(stored: StoredPlanVersion): PlanVersion {
  return StoredPlanSchema.parse(stored);
}

/** A subscription's custom price for one meter, validated like any price. */
export function parseOverride(wire: unknown): Price {
  return PriceSchema.parse(wire);
}
