import { Fragment } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { meterAggregationLabel } from '../aggregation';
import { api } from '../api';
import { Chart } from '../chart';
import { browserTimeZone, isTimeZone, isWallTime, zonedInstant, zonedWallTime } from '../dates';
import { date, integer, plotNumber, quantity } from '../format';
import type { Charge, Coupon, EvaluatePriceRequest, Evaluation, Meter, Plan, PriceDetail } from '../types';
import { Card, Empty, ErrorNote, Money, Show, useAsync } from '../ui';
import { CouponCatalog, couponValue, Minus } from './credits';

/** Price models a plain quantity can price. */
const QUANTITY_MODELS = new Set(['per_unit', 'package', 'graduated', 'volume', 'overage']);
/** Price models of per-event amounts (payments): priced from `events`. */
const EVENT_MODELS = new Set(['percentage', 'graduated_percentage']);
/** Price models that pick a price per usage record, by its dimensions or its local time: priced from `usage`. */
const USAGE_MODELS = new Set(['matrix', 'time_of_use']);
const DECIMAL = /^\d{1,15}(\.\d{1,12})?$/;
const MAX_EVENTS = 10_000;
/** The curve: 0 .. 2× the input in this many steps. */
const STEPS = 16;

type InputKind = 'quantity' | 'usage' | 'events';

const inputKind = (model: string): InputKind | undefined =>
  QUANTITY_MODELS.has(model)
    ? 'quantity'
    : EVENT_MODELS.has(model)
      ? 'events'
      : USAGE_MODELS.has(model)
        ? 'usage'
        : undefined;

const chargeName = (charge: Charge) => charge.display_name ?? charge.meter;
const modelName = (model: string) => model.replace(/_/g, ' ');

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

interface Dimension {
  name: string;
  /** The values the price's matrix entries match, in entry order. */
  values: string[];
  /** A value no entry matches (the default price applies). */
  other: string;
}

/** A value not among `values`: "(other value)", numbered if an entry happens to match that. */
function otherValue(values: string[]): string {
  let candidate = '(other value)';
  for (let n = 2; values.includes(candidate); n++) candidate = `(other value ${n})`;
  return candidate;
}

/**
 * What a usage record needs to be priced by `price`: the dimensions of its matrices and a time when a
 * time_of_use is in it, at any depth (a matrix entry may be priced by time of use, a band by a matrix).
 */
function usageShape(price: unknown): { dimensions: Dimension[]; timed: boolean; defaulted: boolean } {
  const values = new Map<string, string[]>();
  let timed = false;
  const walk = (p: unknown) => {
    if (!isRecord(p)) return;
    if (p.model === 'matrix') {
      const names = list(p.dimensions).filter((d): d is string => typeof d === 'string');
      for (const name of names) if (!values.has(name)) values.set(name, []);
      for (const entry of list(p.entries)) {
        if (!isRecord(entry)) continue;
        const match = isRecord(entry.match) ? entry.match : {};
        for (const name of names) {
          const value = match[name];
          const known = values.get(name)!;
          if (typeof value === 'string' && !known.includes(value)) known.push(value);
        }
        walk(entry.price);
      }
      walk(p.default_price);
    } else if (p.model === 'time_of_use') {
      timed = true;
      for (const band of list(p.bands)) if (isRecord(band)) walk(band.price);
      walk(p.default_price);
    }
  };
  walk(price);
  return {
    dimensions: [...values].map(([name, known]) => ({ name, values: known, other: otherValue(known) })),
    timed,
    defaulted: !isRecord(price) || price.model !== 'matrix' || price.default_price !== undefined,
  };
}

function priceSummary(price: Charge['price'], currency: string) {
  switch (price.model) {
    case 'per_unit':
      return (
        <>
          per unit <Money amount={String(price.unit_price)} currency={currency} />
        </>
      );
    case 'graduated':
    case 'volume':
      return `${price.model}, ${(price.tiers as unknown[]).length} tiers`;
    case 'package':
      return `package of ${quantity(String(price.package_size))}`;
    case 'matrix':
      return `matrix by ${list(price.dimensions).join(', ')}, ${list(price.entries).length} entries${price.default_price ? ' and a default' : ''}`;
    case 'time_of_use':
      return `time of use: ${list(price.bands)
        .map((band) => (isRecord(band) ? String(band.name) : ''))
        .join(', ')} and a default`;
    case 'percentage':
      return `${quantity(String(price.rate_percent))}% of each amount`;
    case 'graduated_percentage':
      return `graduated percentage, ${list(price.tiers).length} tiers`;
    default:
      return modelName(price.model);
  }
}

/** The explanation lines, nested ones (a band's or a matrix group's own price) indented below their line. */
function Explain({ lines, currency }: { lines: PriceDetail[]; currency: string }) {
  return (
    <ul class="explain">
      {lines.map((line, i) => (
        <li key={i}>
          <span>{line.description}</span>
          <span class="num">
            <Money amount={line.amount} currency={currency} />
          </span>
          {line.lines && line.lines.length > 0 && <Explain lines={line.lines} currency={currency} />}
        </li>
      ))}
    </ul>
  );
}

/** The time_of_use bands the evaluation placed usage in, at any depth ("" = outside all bands). */
function bandsApplied(lines: PriceDetail[]): string[] {
  const found: string[] = [];
  const walk = (level: PriceDetail[]) => {
    for (const line of level) {
      if (line.kind === 'band' && !found.includes(line.band ?? '')) found.push(line.band ?? '');
      if (line.lines) walk(line.lines);
    }
  };
  walk(lines);
  return found;
}

/** What was evaluated, as entered (the figure line describes it; nothing here is computed money). */
interface Simulated {
  kind: InputKind;
  /** The quantity (quantity, usage) or the amount per event (events), as typed. */
  value: string;
  events?: number;
  dimensions?: Record<string, string>;
  time?: string;
  timeZone?: string;
  charge: Charge;
}

type Field = 'quantity' | 'when' | 'zone' | 'amount' | 'events';

/** What a quantity of a time-weighted meter means, for the simulator's hint. */
const WEIGHTED_QUANTITY: Record<string, string> = {
  hour: 'the level integrated over time in hours (e.g. GB-hours: 10 GB for a 720-hour month is 7200)',
  day: 'level-days of local days (e.g. seat-days: 3 seats for a whole day is 3, whatever its length)',
  period: 'the average level over the period (10 GB for half the month, 20 GB for the rest is 15)',
};

function Simulator({
  plans,
  initialPlan,
  meters,
  coupons,
}: {
  plans: Plan[];
  initialPlan?: string;
  meters: Meter[];
  coupons: Coupon[];
}) {
  const [planKey, setPlanKey] = useState(
    initialPlan && plans.some((p) => p.key === initialPlan) ? initialPlan : plans[0]?.key,
  );
  const plan = plans.find((p) => p.key === planKey);
  const charges = (plan?.charges ?? []).map((charge, index) => ({ charge, index }));
  const priceable = charges.filter(({ charge }) => inputKind(charge.price.model) !== undefined);
  const [chargeIndex, setChargeIndex] = useState<number>();
  const selected = priceable.find((c) => c.index === chargeIndex) ?? priceable[0];
  const kind = selected ? inputKind(selected.charge.price.model) : undefined;
  const shape = useMemo(
    () => (kind === 'usage' ? usageShape(selected?.charge.price) : { dimensions: [], timed: false, defaulted: true }),
    [kind, selected?.charge.price],
  );

  const [amountInput, setAmountInput] = useState('1000');
  const [picks, setPicks] = useState<Record<string, string>>({});
  const [zoneInput, setZoneInput] = useState(browserTimeZone);
  const [whenInput, setWhenInput] = useState(() => zonedWallTime(Date.now(), browserTimeZone()));
  const [perEventInput, setPerEventInput] = useState('100');
  const [eventsInput, setEventsInput] = useState('10');
  const [couponPick, setCouponPick] = useState('');
  const [result, setResult] = useState<{
    evaluation: Evaluation;
    input: Simulated;
    curve: { x: string[]; y: number[] };
  }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  /** Answers to an earlier pick of plan or charge are dropped. */
  const generation = useRef(0);

  // A pick that is not among this charge's values (another charge's) falls back to the first value.
  const dimensionValues: Record<string, string> = {};
  for (const d of shape.dimensions) {
    const pick = picks[d.name];
    dimensionValues[d.name] =
      pick !== undefined && (d.values.includes(pick) || pick === d.other) ? pick : (d.values[0] ?? d.other);
  }
  const zone = zoneInput.trim();
  // A fixed amount off is in one currency: only those of the plan's (percentages fit any).
  const usableCoupons = coupons.filter((c) => c.type === 'percentage' || c.currency === plan?.currency);

  const errors: Partial<Record<Field, string>> = {};
  if ((kind === 'quantity' || kind === 'usage') && !DECIMAL.test(amountInput.trim()))
    errors.quantity = 'Quantity: enter a non-negative decimal, e.g. 12500 or 3.75.';
  if (kind === 'usage' && shape.timed) {
    if (!isWallTime(whenInput)) errors.when = 'When: enter a date and a time of day.';
    if (!isTimeZone(zone))
      errors.zone =
        zone === ''
          ? 'Time zone: enter an IANA time zone such as Europe/Berlin or UTC.'
          : `Time zone: “${zone}” is not a time zone this browser knows; use an IANA name such as Europe/Berlin or UTC.`;
  }
  if (kind === 'events') {
    if (!DECIMAL.test(perEventInput.trim()))
      errors.amount = 'Amount per event: enter a non-negative decimal, e.g. 49.90.';
    const n = eventsInput.trim();
    if (!/^\d{1,6}$/.test(n) || Number(n) < 1 || Number(n) > MAX_EVENTS)
      errors.events = `Events: enter a whole number from 1 to ${integer(MAX_EVENTS)}.`;
  }
  const valid = Object.keys(errors).length === 0;
  const describedBy = (field: Field, hint?: string) =>
    [hint, errors[field] ? `sim-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;

  const reset = () => {
    generation.current++;
    setResult(undefined);
    setError(undefined);
  };

  const simulate = async (event: Event) => {
    event.preventDefault();
    if (!plan || !selected || !kind || !valid) return;
    const charge = selected.charge;
    const coupon = usableCoupons.some((c) => c.code === couponPick) ? couponPick : undefined;
    const value = (kind === 'events' ? perEventInput : amountInput).trim();
    const events = kind === 'events' ? Number(eventsInput.trim()) : undefined;
    const timed = kind === 'usage' && shape.timed;
    const time = timed ? `${zonedInstant(whenInput, zone).toISOString().slice(0, 19)}Z` : undefined;
    const input: Simulated = {
      kind,
      value,
      charge,
      ...(events === undefined ? {} : { events }),
      ...(kind === 'usage' ? { dimensions: { ...dimensionValues } } : {}),
      ...(timed ? { time, timeZone: zone } : {}),
    };
    /** The request pricing `v` (the quantity, or the amount of each event) with the rest of the input. */
    const body = (v: string): Pick<EvaluatePriceRequest, 'quantity' | 'events' | 'usage' | 'timezone'> => {
      if (kind === 'events') return { events: Array<string>(events!).fill(v) };
      if (kind === 'usage')
        return {
          usage: [{ dimensions: input.dimensions, quantity: v, ...(time ? { time } : {}) }],
          ...(timed ? { timezone: zone } : {}),
        };
      return { quantity: v };
    };
    const evaluate = (v: string, withCoupon = false) =>
      api.post<Evaluation>('/v1/prices/evaluate', {
        currency: plan.currency,
        price: charge.price,
        ...body(v),
        // Only the figure shown takes the coupon (with the meter and plan that scoped coupons match); the curve is the price alone.
        ...(withCoupon && coupon
          ? ({ coupon, meter: charge.meter, plan: plan.key } satisfies Pick<
              EvaluatePriceRequest,
              'coupon' | 'meter' | 'plan'
            >)
          : {}),
      });
    const mine = ++generation.current;
    setBusy(true);
    setError(undefined);
    try {
      // The curve: 0 .. 2× the input in 16 steps (chart geometry only; the figure shown is the exact evaluation).
      const top = Math.max(10, plotNumber(value) * 2);
      const round = top / STEPS >= 10 ? Math.round : (v: number) => Math.round(v * 100) / 100;
      const steps = Array.from({ length: STEPS + 1 }, (_, i) => String(round((top * i) / STEPS)));
      const [evaluation, ...points] = await Promise.all([evaluate(value, true), ...steps.map((v) => evaluate(v))]);
      if (mine !== generation.current) return;
      setResult({ evaluation: evaluation!, input, curve: { x: steps, y: points.map((p) => plotNumber(p.amount)) } });
    } catch (failure) {
      if (mine !== generation.current) return;
      setError(failure as Error);
      setResult(undefined);
    } finally {
      setBusy(false);
    }
  };

  const series = useMemo(
    () => (result ? [{ label: `Charge (${plan?.currency})`, color: '#1f4fd1', values: result.curve.y }] : []),
    [result],
  );
  const xLabels = useMemo(() => result?.curve.x.map((q) => quantity(q)) ?? [], [result]);
  const zoneOptions = useMemo(
    () => (shape.timed && typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []),
    [shape.timed],
  );
  const unsupported = charges.filter((c) => inputKind(c.charge.price.model) === undefined);
  const bands = result ? bandsApplied(result.evaluation.lines) : [];

  return (
    <Card title="Price simulator" id="simulator" class="span-3">
      <form class="toolbar" onSubmit={simulate} noValidate>
        <div class="field">
          <label for="sim-plan">Plan</label>
          <select
            id="sim-plan"
            value={planKey}
            onChange={(e) => {
              setPlanKey(e.currentTarget.value);
              setChargeIndex(undefined);
              reset();
            }}
          >
            {plans.map((p) => (
              <option key={p.key} value={p.key}>
                {p.name ?? p.key} (v{p.version}, {p.currency})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="sim-charge">Charge</label>
          <select
            id="sim-charge"
            value={selected?.index}
            disabled={priceable.length === 0}
            onChange={(e) => {
              setChargeIndex(Number(e.currentTarget.value));
              reset();
            }}
          >
            {priceable.map(({ charge, index }) => (
              <option key={index} value={index}>
                {chargeName(charge)} ({modelName(charge.price.model)})
              </option>
            ))}
          </select>
        </div>
        {shape.dimensions.map((d, i) => (
          <div class="field" key={d.name}>
            <label for={`sim-dimension-${i}`}>{d.name}</label>
            <select
              id={`sim-dimension-${i}`}
              data-testid={`sim-dimension-${d.name}`}
              value={dimensionValues[d.name]}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setPicks((p) => ({ ...p, [d.name]: value }));
              }}
            >
              {d.values.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
              <option value={d.other}>(other value)</option>
            </select>
          </div>
        ))}
        {kind === 'usage' && shape.timed && (
          <>
            <div class="field">
              <label for="sim-when">When (time zone: {zone || '?'})</label>
              <input
                id="sim-when"
                data-testid="sim-when"
                type="datetime-local"
                value={whenInput}
                aria-invalid={errors.when ? 'true' : undefined}
                aria-describedby={describedBy('when')}
                onInput={(e) => setWhenInput(e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="sim-zone">Time zone</label>
              <input
                id="sim-zone"
                data-testid="sim-zone"
                list="sim-zones"
                value={zoneInput}
                autocomplete="off"
                spellcheck={false}
                aria-invalid={errors.zone ? 'true' : undefined}
                aria-describedby={describedBy('zone')}
                onInput={(e) => setZoneInput(e.currentTarget.value)}
              />
              <datalist id="sim-zones">
                {zoneOptions.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </div>
          </>
        )}
        {kind === 'events' ? (
          <>
            <div class="field">
              <label for="sim-amount-per-event">Amount per event ({plan?.currency})</label>
              <input
                id="sim-amount-per-event"
                data-testid="sim-amount-per-event"
                inputMode="decimal"
                value={perEventInput}
                aria-invalid={errors.amount ? 'true' : undefined}
                aria-describedby={describedBy('amount', 'sim-quantity-hint')}
                onInput={(e) => setPerEventInput(e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="sim-events">Events</label>
              <input
                id="sim-events"
                data-testid="sim-events"
                inputMode="numeric"
                value={eventsInput}
                aria-invalid={errors.events ? 'true' : undefined}
                aria-describedby={describedBy('events', 'sim-quantity-hint')}
                onInput={(e) => setEventsInput(e.currentTarget.value)}
              />
            </div>
          </>
        ) : (
          <div class="field">
            <label for="sim-quantity">Quantity</label>
            <input
              id="sim-quantity"
              inputMode="decimal"
              value={amountInput}
              aria-invalid={errors.quantity ? 'true' : undefined}
              aria-describedby={describedBy('quantity', 'sim-quantity-hint')}
              onInput={(e) => setAmountInput(e.currentTarget.value)}
            />
          </div>
        )}
        <div class="field">
          <label for="sim-coupon">Coupon</label>
          <select
            id="sim-coupon"
            value={usableCoupons.some((c) => c.code === couponPick) ? couponPick : ''}
            onChange={(e) => {
              setCouponPick(e.currentTarget.value);
              reset();
            }}
          >
            <option value="">None</option>
            {usableCoupons.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} ({couponValue(c)})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary" disabled={busy || !selected || !valid}>
          {busy ? 'Evaluating…' : 'Simulate'}
        </button>
      </form>
      {(Object.keys(errors) as Field[]).map((field) => (
        <p key={field} id={`sim-${field}-error`} class="error small" role="alert" data-testid={`sim-${field}-error`}>
          {errors[field]}
        </p>
      ))}
      <p id="sim-quantity-hint" class="muted small">
        {kind === 'events'
          ? `Prices that many events (payments) of this amount each: a non-negative decimal, e.g. 49.90, and 1 to ${integer(MAX_EVENTS)} events.`
          : 'A non-negative decimal, e.g. 12500 or 3.75.'}
        {kind !== 'events' &&
          (() => {
            const meter = meters.find((m) => m.key === selected?.charge.meter);
            return meter?.aggregation === 'weighted_sum'
              ? ` Meter ${meter.name} is time-weighted: its quantity is ${WEIGHTED_QUANTITY[meter.per ?? 'period']}.`
              : '';
          })()}
        {kind === 'usage' &&
          shape.dimensions.length > 0 &&
          ` One usage record with these dimension values; “(other value)” is a value no entry matches${shape.defaulted ? ', so the default price applies' : ', and this matrix has no default price for it'}.`}
        {kind === 'usage' && shape.timed && ' The local time in the time zone picks the band.'}
        {unsupported.length > 0 &&
          ` Charges with a price model this page does not know (${unsupported
            .map((c) => chargeName(c.charge))
            .join(', ')}) are not simulated here.`}
        {plan?.base_fee && ' The plan’s base fee is not part of a charge.'}
      </p>
      {priceable.length === 0 && <Empty>This plan has no charge the simulator can price.</Empty>}
      {error && <ErrorNote error={error} />}
      {result && plan && (
        <div class="sim-result">
          <div>
            <p class="figure-line">
              <span class="muted">
                {result.input.kind === 'events' ? (
                  <>
                    {integer(result.input.events!)} event{result.input.events === 1 ? '' : 's'} of{' '}
                    <Money amount={result.input.value} currency={plan.currency} /> each (
                    <Money amount={result.evaluation.quantity} currency={plan.currency} /> in all) cost
                  </>
                ) : (
                  <>
                    {quantity(result.evaluation.quantity)} units
                    {result.input.dimensions &&
                      Object.keys(result.input.dimensions).length > 0 &&
                      ` with ${Object.entries(result.input.dimensions)
                        .map(([name, value]) => `${name} = ${value}`)
                        .join(', ')}`}
                    {result.input.time && (
                      <span data-testid="sim-time" data-value={result.input.time}>
                        {' '}
                        at {date(result.input.time, { time: true, timeZone: result.input.timeZone })} (
                        {result.input.timeZone})
                      </span>
                    )}{' '}
                    cost
                  </>
                )}
              </span>{' '}
              <strong data-testid="sim-amount" data-value={result.evaluation.amount}>
                <Money amount={result.evaluation.amount} currency={plan.currency} />
              </strong>
            </p>
            {result.evaluation.coupon && (
              <p
                class="small"
                data-testid="sim-coupon"
                data-code={result.evaluation.coupon.code}
                data-applies={String(result.evaluation.coupon.applies)}
                data-discount={result.evaluation.coupon.discount}
                data-after={result.evaluation.coupon.amount_after_discount}
              >
                Coupon <code>{result.evaluation.coupon.code}</code> {result.evaluation.coupon.name}:{' '}
                {result.evaluation.coupon.applies ? (
                  <>
                    <Minus amount={result.evaluation.coupon.discount} currency={plan.currency} />, after it{' '}
                    <strong>
                      <Money amount={result.evaluation.coupon.amount_after_discount} currency={plan.currency} />
                    </strong>
                  </>
                ) : (
                  <>does not apply to this charge</>
                )}
                {result.evaluation.coupon.note && <span class="muted"> ({result.evaluation.coupon.note})</span>}
              </p>
            )}
            {bands.length > 0 && (
              <p class="small" data-testid="sim-band" data-value={bands.join(',')}>
                Time band:{' '}
                <strong>{bands.map((band) => band || 'none (outside all bands: the default price)').join(', ')}</strong>
              </p>
            )}
            <Explain lines={result.evaluation.lines} currency={plan.currency} />
          </div>
          <Chart
            title={
              result.input.kind === 'events'
                ? `Cost of ${chargeName(result.input.charge)} against the amount per event, ${result.input.events} events`
                : `Cost of ${chargeName(result.input.charge)} against quantity`
            }
            x={xLabels}
            series={series}
            kind="lines"
            height={220}
            xLabel={
              result.input.kind === 'events'
                ? `Amount per event (${plan.currency}), ${integer(result.input.events!)} events`
                : 'Quantity'
            }
            testId="sim-chart"
          />
        </div>
      )}
    </Card>
  );
}

export function Plans() {
  const plans = useAsync(() => api.get<{ data: Plan[] }>('/v1/plans'), []);
  const meters = useAsync(() => api.get<{ data: Meter[] }>('/v1/meters'), []);
  const coupons = useAsync(() => api.get<{ data: Coupon[] }>('/v1/coupons'), []);
  const initialPlan = new URLSearchParams(location.hash.split('?')[1] ?? '').get('plan') ?? undefined;
  return (
    <>
      <div class="page-head">
        <h1>Plans &amp; meters</h1>
        <p class="muted">
          Plans are read-only and versioned: invoices name the version they used. Coupons are added below.
        </p>
      </div>
      <div class="grid">
        <Show state={plans}>
          {(list) =>
            list.data.length === 0 ? (
              <Card title="Plans">
                <Empty>No plans yet.</Empty>
              </Card>
            ) : (
              <>
                <Simulator
                  plans={list.data}
                  initialPlan={initialPlan}
                  meters={meters.data?.data ?? []}
                  coupons={coupons.data?.data ?? []}
                />
                {list.data.map((plan) => (
                  <Card key={plan.key} title={`${plan.name ?? plan.key}`} id={`plan-${plan.key}`}>
                    <p class="muted">
                      <code>{plan.key}</code> · v{plan.version} · {plan.currency} · every{' '}
                      {plan.interval_count && plan.interval_count > 1
                        ? `${plan.interval_count} ${plan.interval}s`
                        : plan.interval}
                    </p>
                    <dl class="facts">
                      {plan.base_fee && (
                        <>
                          <dt>Base fee</dt>
                          <dd>
                            <Money amount={String(plan.base_fee.amount)} currency={plan.currency} />{' '}
                            {(plan.base_fee.timing ?? 'in_arrears').replace('_', ' ')}
                          </dd>
                        </>
                      )}
                      {plan.minimum_commitment && (
                        <>
                          <dt>Minimum</dt>
                          <dd>
                            <Money amount={String(plan.minimum_commitment)} currency={plan.currency} />
                          </dd>
                        </>
                      )}
                      {plan.progressive_billing && (
                        <>
                          <dt>Bills early at</dt>
                          <dd data-testid="plan-thresholds">
                            {plan.progressive_billing.thresholds.map((threshold, i) => (
                              <Fragment key={i}>
                                {i > 0 && ', '}
                                <Money amount={String(threshold.amount)} currency={plan.currency} />
                                {threshold.recurring ? ' and every further step of it' : ''}
                              </Fragment>
                            ))}{' '}
                            of usage
                          </dd>
                        </>
                      )}
                      {(plan.charges ?? []).map((charge, i) => (
                        <Fragment key={i}>
                          <dt>{chargeName(charge)}</dt>
                          <dd>{priceSummary(charge.price, plan.currency)}</dd>
                        </Fragment>
                      ))}
                    </dl>
                  </Card>
                ))}
              </>
            )
          }
        </Show>
        <CouponCatalog catalog={coupons} />
        <Card title="Meters" id="meters" class="span-3">
          <Show state={meters}>
            {(list) => (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Meter</th>
                    <th scope="col">Event type</th>
                    <th scope="col">Aggregation</th>
                    <th scope="col" class="hide-narrow">
                      Property
                    </th>
                    <th scope="col" class="hide-narrow">
                      Dimensions
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((m) => (
                    <tr key={m.key}>
                      <td>
                        {m.name} <code class="muted">{m.key}</code>
                      </td>
                      <td>
                        <code>{m.event_type}</code>
                      </td>
                      <td>{meterAggregationLabel(m)}</td>
                      <td class="hide-narrow">{m.value_property ?? '—'}</td>
                      <td class="hide-narrow">{m.group_by.join(', ') || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Show>
        </Card>
      </div>
    </>
  );
}
