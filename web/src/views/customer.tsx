import { useMemo, useState } from 'preact/hooks';
import { meterAggregationLabel, partsAddUp } from '../aggregation';
import { ApiError, api, qs } from '../api';
import { Chart, type ChartSeries } from '../chart';
import { addDays, isDay, today, zonedDayStart } from '../dates';
import { date, integer, period, plotNumber, quantity } from '../format';
import { href } from '../router';
import type {
  Customer,
  Invoice,
  InvoiceLine,
  InvoiceTotals,
  Meter,
  PriceDetail,
  Subscription,
  Upcoming,
  UsageQuery,
  UsageSeries,
} from '../types';
import { Badge, Card, Empty, ErrorNote, Loading, Money, Show, useAsync } from '../ui';
import { AlertsCard } from './alerts';
import { OneOffChargesCard } from './charges';
import { BalanceCard, CreditNotesCard } from './credit-notes';
import { CouponsCard, CreditsCard, EntitlementsCard, Minus, TaxLine } from './credits';
import { DunningCard, SuspensionNotice } from './dunning';
import { PaymentBadge, StripeCustomerCard } from './payments';
import { PortalLinkCard } from './portal-link';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The usage API's longest range. */
const MAX_DAYS = 400;
const ceilHour = (t: number) => new Date(Math.ceil(t / HOUR) * HOUR);
const floorHour = (t: number) => new Date(Math.floor(t / HOUR) * HOUR);

type RangeKey = 'period' | '7d' | '30d' | 'custom';
type Range = { from: Date; to: Date; error?: undefined } | { error: string };

function usageRange(
  key: RangeKey,
  subscription: Subscription | undefined,
  custom: { from: string; through: string },
  timeZone: string,
): Range {
  if (key === 'custom') {
    if (!isDay(custom.from) || !isDay(custom.through)) return { error: 'Choose the first and the last day.' };
    if (custom.through < custom.from) return { error: 'The last day must not be before the first.' };
    const from = zonedDayStart(custom.from, timeZone);
    const to = zonedDayStart(addDays(custom.through, 1), timeZone);
    if (to.getTime() - from.getTime() > MAX_DAYS * DAY) return { error: `Choose at most ${MAX_DAYS} days.` };
    return { from, to };
  }
  const to = ceilHour(Date.now());
  if (key === 'period' && subscription) {
    const start = new Date(subscription.current_period.start);
    const end = new Date(subscription.current_period.end);
    return { from: start, to: end < to ? end : to > start ? to : end };
  }
  const days = key === '7d' ? 7 : 30;
  return { from: floorHour(to.getTime() - days * DAY), to };
}

/** Distinct colours for the values of a split; the rest are summed as "Other". */
const SPLIT_COLORS = ['#1f4fd1', '#c98a12', '#1d7a46', '#c2372f', '#7b3fc4', '#0f8a8a', '#d0559c', '#6b7a1f'];
const OTHER_COLOR = '#9aa3af';
const isZero = (value: string) => /^[-+]?0*\.?0*$/.test(value);

interface SplitRow {
  key: string;
  label: string;
  /** The API's exact total of this value over the range. */
  total: string;
  color: string;
  /** Drawn within "Other". */
  other: boolean;
}

type Point = UsageSeries['series'][number];

/**
 * A series grouped by `dimension` as stacked chart series: the values with the largest totals each
 * their own (at most SPLIT_COLORS.length), the rest summed as "Other". Floats for the geometry only:
 * the legend rows carry the API's exact totals.
 */
function splitChart(points: Point[], totals: Point[], dimension: string) {
  const keyOf = (p: Point) => p.dimensions?.[dimension] ?? '';
  const ranked = totals
    // Without any usage the total is a single 0 without the dimension: nothing to list.
    .filter((p) => p.dimensions?.[dimension] !== undefined || !isZero(p.value))
    .sort((a, b) => plotNumber(b.value) - plotNumber(a.value) || keyOf(a).localeCompare(keyOf(b)));
  const rows: SplitRow[] = ranked.map((p, i) => ({
    key: keyOf(p),
    label: keyOf(p) || `(no ${dimension})`,
    total: p.value,
    color: SPLIT_COLORS[i] ?? OTHER_COLOR,
    other: i >= SPLIT_COLORS.length,
  }));
  const own = new Map(rows.filter((r) => !r.other).map((r, i) => [r.key, i]));
  const starts = [...new Set(points.map((p) => p.start))].sort();
  const slot = new Map(starts.map((start, i) => [start, i]));
  const values = [...own.keys()].map(() => starts.map(() => 0));
  const rest = starts.map(() => 0);
  let hasRest = rows.some((r) => r.other);
  for (const p of points) {
    const i = slot.get(p.start)!;
    const k = own.get(keyOf(p));
    if (k !== undefined) values[k]![i]! += plotNumber(p.value);
    else {
      rest[i]! += plotNumber(p.value);
      hasRest ||= !isZero(p.value);
    }
  }
  const series: ChartSeries[] = rows
    .filter((r) => !r.other)
    .map((r, k) => ({ label: r.label, color: r.color, values: values[k]! }));
  if (hasRest) series.push({ label: 'Other', color: OTHER_COLOR, values: rest });
  return { x: starts.map((start) => Date.parse(start) / 1000), series, rows };
}

function SplitLegend({ rows, dimension }: { rows: SplitRow[]; dimension: string }) {
  return (
    <div class="split-legend">
      <table data-testid="split-legend" data-dimension={dimension}>
        <caption class="sr-only">Total per {dimension} over the range</caption>
        <thead>
          <tr>
            <th scope="col">{dimension}</th>
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-value={row.key} data-total={row.total}>
              <th scope="row">
                <span class="dot" style={{ background: row.color }} aria-hidden="true" />
                {row.label}
                {row.other && <span class="muted small"> (in Other)</span>}
              </th>
              <td class="num">{quantity(row.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UsageCard({ customer, subscription }: { customer: Customer; subscription: Subscription | undefined }) {
  const meters = useAsync(() => api.get<{ data: Meter[] }>('/v1/meters'), []);
  const [meterKey, setMeterKey] = useState<string>();
  const [granularity, setGranularity] = useState<'hour' | 'day'>('day');
  const [rangeKey, setRangeKey] = useState<RangeKey>(subscription ? 'period' : '30d');
  const [custom, setCustom] = useState(() => {
    const through = today(customer.timezone);
    return { from: addDays(through, -29), through };
  });
  const [splitPick, setSplitPick] = useState('');
  const meter = meters.data?.data.find((m) => m.key === meterKey) ?? meters.data?.data[0];
  // The pick stays while another meter is shown that cannot split by it.
  const dimension = meter?.group_by.includes(splitPick) ? splitPick : undefined;
  const range = useMemo(
    () => usageRange(rangeKey, subscription, custom, customer.timezone),
    [rangeKey, subscription, custom, customer.timezone],
  );
  const base =
    meter && range.error === undefined
      ? { meter: meter.key, from: range.from.toISOString(), to: range.to.toISOString() }
      : undefined;
  const path = `/v1/customers/${encodeURIComponent(customer.id)}/usage`;
  const usage = useAsync(async () => {
    if (!base) return undefined;
    const [series, total, byValue] = await Promise.all([
      api.get<UsageSeries>(`${path}?${qs({ ...base, granularity, group_by: dimension } satisfies UsageQuery)}`),
      api.get<UsageSeries>(`${path}?${qs({ ...base, granularity: 'total' } satisfies UsageQuery)}`),
      dimension
        ? api.get<UsageSeries>(
            `${path}?${qs({ ...base, granularity: 'total', group_by: dimension } satisfies UsageQuery)}`,
          )
        : null,
    ]);
    return { series, total: total.series[0], byValue, dimension, from: base.from, to: base.to };
  }, [base?.meter, granularity, base?.from, base?.to, customer.id, dimension]);
  const chart = useMemo(() => {
    const data = usage.data;
    const points = data?.series.series ?? [];
    if (data?.dimension && data.byValue) return splitChart(points, data.byValue.series, data.dimension);
    return {
      x: points.map((p) => Date.parse(p.start) / 1000),
      series: [{ label: meter?.name ?? 'Usage', color: '#1f4fd1', values: points.map((p) => plotNumber(p.value)) }],
      rows: undefined,
    };
  }, [usage.data]);
  const exportCsv = () =>
    base &&
    api.download(
      `${path}?${qs({ ...base, granularity, group_by: dimension, format: 'csv' } satisfies UsageQuery)}`,
      `usage-${customer.id}-${base.meter}${dimension ? `-by-${dimension}` : ''}.csv`,
    );
  const additive = partsAddUp(meter?.aggregation);
  return (
    <Card
      title="Usage"
      id="usage"
      actions={
        <button type="button" class="ghost" onClick={exportCsv} disabled={!base}>
          Export CSV
        </button>
      }
    >
      <Show state={meters}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty>No meters defined.</Empty>
          ) : (
            <>
              <div class="toolbar">
                <div class="field">
                  <label for="usage-meter">Meter</label>
                  <select id="usage-meter" value={meter?.key} onChange={(e) => setMeterKey(e.currentTarget.value)}>
                    {list.data.map((m) => (
                      <option key={m.key} value={m.key}>
                        {m.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="usage-split">Split by</label>
                  <select
                    id="usage-split"
                    value={dimension ?? ''}
                    disabled={!meter || meter.group_by.length === 0}
                    onChange={(e) => setSplitPick(e.currentTarget.value)}
                  >
                    <option value="">None</option>
                    {meter?.group_by.map((d) => (
                      <option key={d} value={d}>
                        {d}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="usage-range">Range</label>
                  <select
                    id="usage-range"
                    value={rangeKey}
                    onChange={(e) => setRangeKey(e.currentTarget.value as RangeKey)}
                  >
                    {subscription && <option value="period">Current period</option>}
                    <option value="7d">Last 7 days</option>
                    <option value="30d">Last 30 days</option>
                    <option value="custom">Custom</option>
                  </select>
                </div>
                {rangeKey === 'custom' && (
                  <>
                    <div class="field">
                      <label for="usage-from">From ({customer.timezone})</label>
                      <input
                        id="usage-from"
                        type="date"
                        required
                        value={custom.from}
                        max={custom.through}
                        onChange={(e) => setCustom((c) => ({ ...c, from: e.currentTarget.value }))}
                      />
                    </div>
                    <div class="field">
                      <label for="usage-through">Through ({customer.timezone})</label>
                      <input
                        id="usage-through"
                        type="date"
                        required
                        value={custom.through}
                        min={custom.from}
                        onChange={(e) => setCustom((c) => ({ ...c, through: e.currentTarget.value }))}
                      />
                    </div>
                  </>
                )}
                <fieldset class="segmented">
                  <legend class="sr-only">Granularity</legend>
                  {(['hour', 'day'] as const).map((g) => (
                    <button type="button" key={g} aria-pressed={granularity === g} onClick={() => setGranularity(g)}>
                      {g === 'hour' ? 'Hourly' : 'Daily'}
                    </button>
                  ))}
                </fieldset>
              </div>
              {range.error !== undefined ? (
                <p class="error" role="alert">
                  {range.error}
                </p>
              ) : usage.error ? (
                <ErrorNote error={usage.error} />
              ) : !usage.data ? (
                <Loading />
              ) : (
                <>
                  <p class="figure-line">
                    <span class="muted">
                      {meter ? meterAggregationLabel(meter) : ''} of {meter?.name},{' '}
                      {period(usage.data.from, usage.data.to, customer.timezone)}
                    </span>{' '}
                    <strong
                      class="num"
                      data-testid="usage-total"
                      data-value={usage.data.total?.value ?? '0'}
                      data-meter={usage.data.series.meter}
                      data-from={usage.data.from}
                      data-to={usage.data.to}
                      data-points={usage.data.series.series.length}
                      data-granularity={usage.data.series.granularity}
                      data-split={usage.data.dimension ?? ''}
                    >
                      {quantity(usage.data.total?.value ?? '0')}
                    </strong>
                    <span class="muted"> · {integer(usage.data.total?.events ?? 0)} events</span>
                  </p>
                  {chart.x.length === 0 ? (
                    <Empty>No usage in this range.</Empty>
                  ) : (
                    <Chart
                      title={`${meter?.name} per ${granularity}${usage.data.dimension ? `, stacked by ${usage.data.dimension}` : ''}`}
                      x={chart.x}
                      series={chart.series}
                      kind="bars"
                      stacked={usage.data.dimension !== undefined}
                      testId="usage-chart"
                    />
                  )}
                  {chart.rows && usage.data.dimension && (
                    <>
                      {chart.rows.length > 0 && <SplitLegend rows={chart.rows} dimension={usage.data.dimension} />}
                      {!additive && (
                        <p class="muted small">
                          Each bar stacks the {meter?.aggregation} of every {usage.data.dimension}: for this meter the
                          parts do not add up to the total.
                        </p>
                      )}
                    </>
                  )}
                </>
              )}
            </>
          )
        }
      </Show>
    </Card>
  );
}

function Details({ details, currency }: { details: PriceDetail[]; currency: string }) {
  return (
    <ul class="explain">
      {details.map((d, i) => (
        <li key={i}>
          <span>{d.description}</span>
          <Money amount={d.amount} currency={currency} />
          {d.lines && d.lines.length > 0 && <Details details={d.lines} currency={currency} />}
        </li>
      ))}
    </ul>
  );
}

/** A line's shares of the invoice math, in one small row: only the shares it has. */
function LineShares({ line, currency }: { line: InvoiceLine; currency: string }) {
  const parts: preact.ComponentChildren[] = [];
  if (line.discount && !isZero(line.discount))
    parts.push(
      <span key="discount">
        discount <Minus amount={line.discount} currency={currency} />
      </span>,
    );
  if (line.promotional_credits && !isZero(line.promotional_credits))
    parts.push(
      <span key="promo">
        promotional credits <Minus amount={line.promotional_credits} currency={currency} />
      </span>,
    );
  if (line.tax !== undefined && line.tax_rate !== undefined)
    parts.push(
      <span key="tax">
        tax {quantity(line.tax_rate)} %{line.tax_category ? ` (${line.tax_category})` : ''}{' '}
        <Money amount={line.tax} currency={currency} />
      </span>,
    );
  if (line.paid_credits && !isZero(line.paid_credits))
    parts.push(
      <span key="paid">
        paid credits <Minus amount={line.paid_credits} currency={currency} />
      </span>,
    );
  if (parts.length === 0) return null;
  return (
    <div class="muted small line-shares" data-testid="line-shares">
      {parts.map((part, i) => [i > 0 ? ' · ' : '', part])}
      {line.amount_due !== undefined && (
        <>
          {' '}
          · due <Money amount={line.amount_due} currency={currency} />
        </>
      )}
    </div>
  );
}

/** The totals after the lines: subtotal → coupons → promotional credits → taxable → tax → total → paid credits → due. */
function TotalsRows({ totals, currency, testPrefix }: { totals: InvoiceTotals; currency: string; testPrefix: string }) {
  const row = (
    label: preact.ComponentChildren,
    amount: preact.ComponentChildren,
    attrs: Record<string, string> = {},
  ) => (
    <tr {...attrs}>
      <th scope="row" colSpan={3}>
        {label}
      </th>
      <td class="num">{amount}</td>
    </tr>
  );
  const promotional = totals.credits.filter((c) => c.category === 'promotional');
  const paid = totals.credits.filter((c) => c.category === 'paid');
  const breakdown = totals.tax_breakdown ?? [];
  return (
    <>
      {row('Subtotal', <Money amount={totals.subtotal} currency={currency} />, {
        'data-testid': `${testPrefix}-subtotal`,
      })}
      {totals.discounts.map((d) =>
        row(
          <>
            Discount: {d.name} <code>{d.coupon}</code>
          </>,
          <Minus amount={d.amount} currency={currency} />,
          { 'data-testid': `${testPrefix}-discount`, 'data-coupon': d.coupon, 'data-amount': d.amount },
        ),
      )}
      {promotional.map((c) =>
        row(`Promotional credit: ${c.name}`, <Minus amount={c.amount} currency={currency} />, {
          'data-testid': `${testPrefix}-promotional-credit`,
          'data-amount': c.amount,
        }),
      )}
      {(totals.discounts.length > 0 || promotional.length > 0) &&
        row('Taxable amount', <Money amount={totals.taxable_amount} currency={currency} />, {
          'data-testid': `${testPrefix}-taxable`,
        })}
      {breakdown.length > 0
        ? breakdown.map((b) =>
            row(
              <>
                Tax {quantity(b.rate)} % ({b.category}) on <Money amount={b.taxable_amount} currency={currency} />
                {b.reason && <span class="tax-reason"> · {b.reason}</span>}
              </>,
              <Money amount={b.tax} currency={currency} />,
              { 'data-testid': `${testPrefix}-tax`, 'data-rate': b.rate, 'data-category': b.category },
            ),
          )
        : row(
            `Tax${totals.tax_rate !== undefined ? ` (${quantity(totals.tax_rate)} %)` : ''}`,
            <Money amount={totals.tax} currency={currency} />,
            { 'data-testid': `${testPrefix}-tax` },
          )}
      <tr class="total">
        <th scope="row" colSpan={3}>
          Total
        </th>
        <td class="num" data-testid={`${testPrefix}-total`}>
          <Money amount={totals.total} currency={currency} />
        </td>
      </tr>
      {paid.map((c) =>
        row(`Paid credit: ${c.name}`, <Minus amount={c.amount} currency={currency} />, {
          'data-testid': `${testPrefix}-paid-credit`,
          'data-amount': c.amount,
        }),
      )}
      {totals.balance_applied !== undefined &&
        !isZero(totals.balance_applied) &&
        row('Customer balance applied', <Minus amount={totals.balance_applied} currency={currency} />, {
          'data-testid': `${testPrefix}-balance-applied`,
          'data-amount': totals.balance_applied,
        })}
      <tr class="total">
        <th scope="row" colSpan={3}>
          Amount due
        </th>
        <td class="num" data-testid={`${testPrefix}-amount-due`}>
          <Money amount={totals.amount_due} currency={currency} />
        </td>
      </tr>
    </>
  );
}

/** An adjustment line's figures: which invoice billed the period first, what it is rated at now (the description names the period). */
function AdjustmentNote({ line, currency }: { line: InvoiceLine; currency: string }) {
  const adjustment = line.adjustment;
  if (!adjustment) return null;
  return (
    <div class="muted small" data-testid="adjustment-note" data-invoice={adjustment.invoice_number}>
      Late usage of <code>{adjustment.meter}</code> for invoice <code>{adjustment.invoice_number}</code>: re-rated now{' '}
      <Money amount={adjustment.rerated} currency={currency} /> ({quantity(adjustment.rerated_quantity)}), invoiced{' '}
      <Money amount={adjustment.invoiced} currency={currency} /> ({quantity(adjustment.invoiced_quantity)})
    </div>
  );
}

export function LinesTable({
  lines,
  currency,
  totals,
  testPrefix = 'upcoming',
  lineAction,
}: {
  lines: InvoiceLine[];
  currency: string;
  totals: InvoiceTotals;
  /** Names the totals for tests: `${testPrefix}-total` and so on. */
  testPrefix?: string;
  /** After a line's description: e.g. a button to take a one-off line off a draft. */
  lineAction?: (line: InvoiceLine) => preact.ComponentChildren;
}) {
  return (
    <table class="lines">
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col" class="num">
            Quantity
          </th>
          <th scope="col" class="num hide-narrow">
            Unit price
          </th>
          <th scope="col" class="num">
            Amount
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line, i) => (
          <tr key={i} data-kind={line.kind} data-charge={line.charge} data-testid="invoice-line">
            <td>
              {line.kind === 'one_off' && <span class="badge blue line-kind">one-off</span>}
              {line.kind === 'adjustment' && <span class="badge amber line-kind">adjustment</span>}
              {line.kind === 'progressive_credit' && <span class="badge green line-kind">billed early</span>}
              {line.details.length > 0 ? (
                <details>
                  <summary>{line.description}</summary>
                  <Details details={line.details} currency={currency} />
                </details>
              ) : (
                line.description
              )}
              <AdjustmentNote line={line} currency={currency} />
              <LineShares line={line} currency={currency} />
              {lineAction?.(line)}
            </td>
            <td class="num">{quantity(line.quantity)}</td>
            <td class="num hide-narrow">
              {line.unit_price ? <Money amount={line.unit_price} currency={currency} /> : '—'}
            </td>
            <td class="num">
              <Money amount={line.amount} currency={currency} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <TotalsRows totals={totals} currency={currency} testPrefix={testPrefix} />
      </tfoot>
    </table>
  );
}

function UpcomingCard({ customerId, timeZone, version }: { customerId: string; timeZone: string; version: number }) {
  const upcoming = useAsync(
    () =>
      api.get<Upcoming>(`/v1/customers/${encodeURIComponent(customerId)}/upcoming-invoice`).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    [customerId, version],
  );
  return (
    <Card title="Upcoming invoice" id="upcoming-invoice">
      <Show state={upcoming}>
        {(u) =>
          !u ? (
            <Empty>No active subscription: nothing is being billed.</Empty>
          ) : (
            <>
              <p class="muted">
                {u.plan} v{u.plan_version} · {period(u.period_start, u.period_end, timeZone)} · usage through{' '}
                {date(u.usage_through, { time: true, timeZone })}. Open a line to see how it was priced.
              </p>
              <LinesTable lines={u.lines} currency={u.currency} totals={u} />
            </>
          )
        }
      </Show>
    </Card>
  );
}

function SubscriptionCard({ subscriptions }: { subscriptions: Subscription[] }) {
  const active = subscriptions.find((s) => s.status === 'active');
  return (
    <Card title="Subscription" id="subscription">
      {!active ? (
        <Empty>No active subscription.</Empty>
      ) : (
        <dl class="facts">
          <dt>Plan</dt>
          <dd>
            <a href={`#/plans?plan=${encodeURIComponent(active.plan)}`}>{active.plan}</a> (version {active.plan_version}
            )
          </dd>
          <dt>Status</dt>
          <dd>
            <Badge status={active.status} />
            {active.ends_at && <span class="muted"> ends {date(active.ends_at, { timeZone: active.timezone })}</span>}
          </dd>
          <dt>Billed</dt>
          <dd>every {active.interval_count > 1 ? `${active.interval_count} ${active.interval}s` : active.interval}</dd>
          <dt>Current period</dt>
          <dd>{period(active.current_period.start, active.current_period.end, active.timezone)}</dd>
          {active.pending_change && (
            <>
              <dt>Changes to</dt>
              <dd>
                {active.pending_change.plan} v{active.pending_change.plan_version}
              </dd>
            </>
          )}
          <dt>Id</dt>
          <dd>
            <code>{active.id}</code>
          </dd>
        </dl>
      )}
    </Card>
  );
}

export const openPdf = (invoice: Invoice) =>
  void api.download(
    `/v1/invoices/${encodeURIComponent(invoice.id)}/pdf`,
    `${invoice.number || `draft-${invoice.id}`}.pdf`,
    true,
  );

/** How an invoice is named: its number, or "Draft" while it has none. */
export const invoiceName = (invoice: Pick<Invoice, 'number'>) => invoice.number || 'Draft';

/** The number cell: a draft says so and when its grace period ends. */
function InvoiceNumber({
  invoice,
  timeZone,
  invoices,
}: {
  invoice: Invoice;
  timeZone?: string;
  /** The list it is in: a re-issue names the other invoice by number. */
  invoices: Invoice[];
}) {
  const numberOf = (id: string) => invoices.find((i) => i.id === id)?.number || id;
  if (invoice.number)
    return (
      <>
        <code>{invoice.number}</code>
        {invoice.reissued_as && (
          <span class="muted small block" data-testid="reissued-as">
            issued again as {numberOf(invoice.reissued_as)}
          </span>
        )}
        {invoice.reissue_of && (
          <span class="muted small block" data-testid="reissue-of">
            re-issue of {numberOf(invoice.reissue_of)}
          </span>
        )}
        {invoice.credited_total !== undefined && !isZero(invoice.credited_total) && (
          <span class="muted small block" data-testid="credited" data-amount={invoice.credited_total}>
            credited <Money amount={invoice.credited_total} currency={invoice.currency} />
          </span>
        )}
      </>
    );
  return (
    <span data-testid="draft-number">
      Draft
      {invoice.grace_ends_at && (
        <span class="muted small"> · finalized {date(invoice.grace_ends_at, { time: true, timeZone })}</span>
      )}
    </span>
  );
}

export function InvoiceTable({
  invoices,
  showCustomer = false,
  actions,
}: {
  invoices: Invoice[];
  showCustomer?: boolean;
  actions?: (invoice: Invoice) => preact.ComponentChildren;
}) {
  if (invoices.length === 0) return <Empty>No invoices.</Empty>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Number</th>
          {showCustomer && <th scope="col">Customer</th>}
          <th scope="col">Issued</th>
          <th scope="col" class="hide-narrow">
            Due
          </th>
          <th scope="col">Status</th>
          <th scope="col" class="num">
            Total
          </th>
          <th scope="col">
            <span class="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {invoices.map((invoice) => (
          <tr key={invoice.id} data-invoice={invoice.number} data-id={invoice.id} data-status={invoice.status}>
            <td>
              <InvoiceNumber invoice={invoice} invoices={invoices} />
            </td>
            {showCustomer && (
              <td>
                <a href={href('customers', invoice.customer)}>{invoice.buyer.name || invoice.customer}</a>
              </td>
            )}
            <td>{date(invoice.issue_date)}</td>
            <td class="hide-narrow">{date(invoice.due_date)}</td>
            <td>
              <Badge status={invoice.status} />
              <PaymentBadge invoice={invoice} />
            </td>
            <td class="num">
              <Money amount={invoice.total} currency={invoice.currency} />
            </td>
            <td class="row-actions">
              <button
                type="button"
                class="link"
                aria-label={invoice.number ? `PDF of invoice ${invoice.number}` : 'Preview PDF of the draft'}
                onClick={() => openPdf(invoice)}
              >
                PDF
              </button>
              {actions?.(invoice)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The customer page's narrow list: number and period, total and status, the PDF. */
function InvoiceList({ invoices, timeZone }: { invoices: Invoice[]; timeZone: string }) {
  if (invoices.length === 0) return <Empty>No invoices yet.</Empty>;
  return (
    <ul class="invoice-list">
      {invoices.map((invoice) => (
        <li key={invoice.id} data-invoice={invoice.number} data-id={invoice.id} data-status={invoice.status}>
          <div>
            <InvoiceNumber invoice={invoice} timeZone={timeZone} invoices={invoices} />
            <span class="muted small">{period(invoice.period_start, invoice.period_end, timeZone)}</span>
          </div>
          <div class="num">
            <Money amount={invoice.total} currency={invoice.currency} />
            <Badge status={invoice.status} />
            <PaymentBadge invoice={invoice} />
          </div>
          <button
            type="button"
            class="link"
            aria-label={invoice.number ? `PDF of invoice ${invoice.number}` : 'Preview PDF of the draft'}
            onClick={() => openPdf(invoice)}
          >
            PDF
          </button>
        </li>
      ))}
    </ul>
  );
}

export function CustomerPage({ id }: { id: string }) {
  const customer = useAsync(() => api.get<Customer>(`/v1/customers/${encodeURIComponent(id)}`), [id]);
  const subscriptions = useAsync(
    () => api.get<{ data: Subscription[] }>(`/v1/subscriptions?${qs({ customer: id })}`),
    [id],
  );
  const invoices = useAsync(() => api.get<{ data: Invoice[] }>(`/v1/invoices?${qs({ customer: id })}`), [id]);
  /** Bumped when coupons, credits or charges change: the upcoming invoice is rated again. */
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  /** A charge invoiced at once is a new invoice. */
  const chargesChanged = () => {
    changed();
    invoices.reload();
  };
  return (
    <>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={href('customers')}>Customers</a> / <span aria-current="page">{id}</span>
      </nav>
      <Show state={customer}>
        {(c) => (
          <>
            <div class="page-head">
              <h1>{c.name}</h1>
              <p class="muted">
                <code>{c.id}</code> · {c.email} · {c.currency} · {c.timezone}
                {c.tax_exempt ? ` · tax exempt${c.tax_exempt_reason ? `: ${c.tax_exempt_reason}` : ''}` : ''}
                {c.invoice_grace_hours ? ` · invoices stay drafts for ${integer(c.invoice_grace_hours)} h` : ''}
              </p>
              <TaxLine tax={c.tax} />
              <SuspensionNotice customer={c} onChange={customer.reload} />
            </div>
            {subscriptions.data || subscriptions.error ? (
              <div class="columns">
                <div class="col">
                  <UsageCard customer={c} subscription={subscriptions.data?.data.find((s) => s.status === 'active')} />
                  <UpcomingCard customerId={c.id} timeZone={c.timezone} version={version} />
                  <CreditsCard customer={c} onChange={changed} />
                  <OneOffChargesCard customer={c} invoices={invoices.data?.data} onChange={chargesChanged} />
                </div>
                <div class="col">
                  <Show state={subscriptions}>{(s) => <SubscriptionCard subscriptions={s.data} />}</Show>
                  <EntitlementsCard customer={c} />
                  <CouponsCard customer={c} onChange={changed} />
                  <Card title="Invoices" id="customer-invoices">
                    <Show state={invoices}>{(list) => <InvoiceList invoices={list.data} timeZone={c.timezone} />}</Show>
                  </Card>
                  <BalanceCard customer={c} />
                  <CreditNotesCard customer={c} />
                  <PortalLinkCard customer={c} />
                  <AlertsCard customer={c} />
                  <StripeCustomerCard customer={c} />
                  <DunningCard key={c.updated_at} customer={c} onChange={customer.reload} />
                </div>
              </div>
            ) : (
              <Loading />
            )}
          </>
        )}
      </Show>
    </>
  );
}
