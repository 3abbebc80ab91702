import { useMemo, useState } from 'preact/hooks';
import { api, qs } from '../api';
import { Chart } from '../chart';
import { date, integer, monthLabel, plotNumber } from '../format';
import { href } from '../router';
import { failureText } from '../run-outcome';
import type { IngestionQuery, IngestionReport, RevenueQuery, RevenueReport, Run, UpcomingReport } from '../types';
import { type Async, Badge, Card, Empty, ErrorNote, Money, Show, useAsync } from '../ui';

const DAY = 86_400_000;
const utcMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 1));

const REVENUE_RANGES = {
  '12m': 'Last 12 months',
  'this-year': 'This year',
  'last-year': 'Last year',
} as const;
type RevenueRangeKey = keyof typeof REVENUE_RANGES;

/** The UTC calendar months of a revenue range (the revenue report's months are UTC months of the issue instant). */
function revenueRange(key: RevenueRangeKey, now = new Date()) {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  // [first, end) as (year, month) of the range's first month and the month after its last.
  const [first, end] =
    key === 'this-year'
      ? [utcMonth(y, 0), utcMonth(y, m + 1)]
      : key === 'last-year'
        ? [utcMonth(y - 1, 0), utcMonth(y, 0)]
        : [utcMonth(y, m - 11), utcMonth(y, m + 1)];
  const months: string[] = [];
  for (let d = first; d < end; d = utcMonth(d.getUTCFullYear(), d.getUTCMonth() + 1))
    months.push(d.toISOString().slice(0, 7));
  return { key, label: REVENUE_RANGES[key], months, from: first.toISOString(), to: end.toISOString() };
}
type RevenueRange = ReturnType<typeof revenueRange>;

const EVENT_RANGES = [7, 30, 90] as const;
type EventDays = (typeof EVENT_RANGES)[number];

/** The last `days` UTC days, today included (the ingestion report counts per UTC day of receipt). */
function eventRange(days: EventDays, now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return {
    days,
    label: `last ${days} days`,
    from: new Date(today - (days - 1) * DAY).toISOString(),
    to: new Date(today + DAY).toISOString(),
  };
}
type EventRange = ReturnType<typeof eventRange>;

/** A labelled range picker for a card's header. */
function RangeSelect<K extends string | number>(props: {
  id: string;
  label: string;
  value: K;
  options: ReadonlyArray<readonly [K, string]>;
  onChange: (value: K) => void;
}) {
  return (
    <div class="inline-field">
      <label for={props.id} class="sr-only">
        {props.label}
      </label>
      <select
        id={props.id}
        value={String(props.value)}
        onChange={(e) => {
          const picked = props.options.find(([k]) => String(k) === e.currentTarget.value);
          if (picked) props.onChange(picked[0]);
        }}
      >
        {props.options.map(([k, text]) => (
          <option key={String(k)} value={String(k)}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

const COLORS = { accepted: '#1f4fd1', duplicate: '#c98a12', rejected: '#c2372f' };

interface RevenueData {
  range: RevenueRange;
  report: RevenueReport;
}

function RevenueChart({ range, report }: RevenueData) {
  const currencies = [...new Set(report.groups.map((g) => g.currency))].sort();
  const [picked, setPicked] = useState<string>();
  const currency = picked && currencies.includes(picked) ? picked : currencies[0];
  const labels = useMemo(() => range.months.map(monthLabel), [range]);
  const series = useMemo(
    () => [
      {
        label: `Invoiced (${currency})`,
        color: COLORS.accepted,
        values: range.months.map((month) => {
          const row = report.groups.find((g) => g.key === month && g.currency === currency);
          return row ? plotNumber(row.total) : 0;
        }),
      },
    ],
    [currency, report, range],
  );
  const total = report.totals.find((t) => t.currency === currency);
  if (!currency) return <Empty>No invoices issued in this range ({range.label.toLowerCase()}).</Empty>;
  return (
    <>
      {currencies.length > 1 && (
        <fieldset class="segmented currency-switch">
          <legend class="sr-only">Currency</legend>
          {currencies.map((c) => (
            <button type="button" key={c} aria-pressed={c === currency} onClick={() => setPicked(c)}>
              {c}
            </button>
          ))}
        </fieldset>
      )}
      <p class="figure-line">
        <span class="muted">{range.label}</span>{' '}
        <strong data-testid="revenue-total" data-value={total?.total ?? ''} data-range={range.key}>
          {total && <Money amount={total.total} currency={currency} />}
        </strong>
        <span class="muted">
          {' '}
          · {integer(total?.count ?? 0)} invoices · outstanding{' '}
          {total && <Money amount={total.outstanding} currency={currency} />}
        </span>
      </p>
      <Chart
        title={`Revenue invoiced per month in ${currency}, ${range.label.toLowerCase()}`}
        x={labels}
        series={series}
        kind="bars"
        testId="revenue-chart"
      />
    </>
  );
}

function RevenueCard(props: {
  state: Async<RevenueData>;
  rangeKey: RevenueRangeKey;
  onRange: (key: RevenueRangeKey) => void;
}) {
  return (
    <Card
      title="Revenue invoiced per month"
      id="revenue"
      actions={
        <RangeSelect
          id="revenue-range"
          label="Revenue range"
          value={props.rangeKey}
          options={Object.entries(REVENUE_RANGES) as Array<[RevenueRangeKey, string]>}
          onChange={props.onRange}
        />
      }
    >
      <div aria-busy={props.state.loading ? 'true' : undefined}>
        <Show state={props.state}>{(data) => <RevenueChart {...data} />}</Show>
      </div>
    </Card>
  );
}

/** What POST /v1/reports/upcoming/refresh answers (202) when the refresh runs in the background. */
interface Started {
  refreshing: true;
  as_of: string | null;
}

const REFRESH_WAIT_MS = 15 * 60_000;

function UpcomingCard() {
  const loaded = useAsync(() => api.get<UpcomingReport>('/v1/reports/upcoming?top=5'), []);
  const [refreshed, setRefreshed] = useState<UpcomingReport>();
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<Error>();
  const refresh = async () => {
    setRefreshing(true);
    setRefreshError(undefined);
    try {
      const answer = await api.post<UpcomingReport | Started>('/v1/reports/upcoming/refresh?top=5');
      if (!('refreshing' in answer)) setRefreshed(answer);
      else {
        // Refreshing in the background (AWS, npm start): the report shows a later as_of when it is done.
        const deadline = Date.now() + REFRESH_WAIT_MS;
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const report = await api.get<UpcomingReport>('/v1/reports/upcoming?top=5');
          if (report.as_of !== answer.as_of) {
            setRefreshed(report);
            break;
          }
          if (Date.now() > deadline)
            throw new Error('The refresh is still running after 15 minutes; reload the page later to see it.');
        }
      }
    } catch (failure) {
      setRefreshError(failure as Error);
    } finally {
      setRefreshing(false);
    }
  };
  const report = refreshed ?? loaded.data;
  return (
    <Card
      title="About to be billed this period"
      id="upcoming"
      actions={
        <button type="button" class="ghost" onClick={refresh} disabled={refreshing}>
          {refreshing ? 'Refreshing…' : 'Refresh estimates'}
        </button>
      }
    >
      {refreshError && <ErrorNote error={refreshError} />}
      {!report ? (
        <Show state={loaded}>{() => null}</Show>
      ) : (
        <>
          {report.subscriptions === 0 ? (
            <Empty>No active subscriptions.</Empty>
          ) : report.totals.length === 0 ? null : (
            <ul class="kpis">
              {report.totals.map((t) => (
                <li key={t.currency}>
                  <span class="kpi-value">
                    <Money amount={t.total} currency={t.currency} />
                  </span>
                  <span class="muted">
                    {integer(t.count)} subscription{t.count === 1 ? '' : 's'} · net{' '}
                    <Money amount={t.subtotal} currency={t.currency} />
                  </span>
                </li>
              ))}
            </ul>
          )}
          <Unrated report={report} />
          <p class="muted small" aria-live="polite">
            Usage so far, rated from the counters; totals include tax. As of{' '}
            <time dateTime={report.as_of} data-testid="upcoming-as-of" data-value={report.as_of}>
              {date(report.as_of, { time: true })}
            </time>
            .
          </p>
        </>
      )}
    </Card>
  );
}

const UNRATED_SHOWN = 5;

/** The active subscriptions the refresh could not rate (left out of the totals), each with its customer and why. */
function Unrated({ report }: { report: UpcomingReport }) {
  const rated = report.totals.reduce((sum, t) => sum + t.count, 0);
  // The report keeps the first 100 failures only: the count comes from the subscriptions left out.
  const unrated = Math.max(report.subscriptions - rated, report.failed.length);
  if (unrated === 0) return null;
  const shown = report.failed.slice(0, UNRATED_SHOWN);
  const more = unrated - shown.length;
  const active = `${integer(report.subscriptions)} active subscription${report.subscriptions === 1 ? '' : 's'}`;
  return (
    <div class="error unrated" data-testid="upcoming-failed" data-count={unrated}>
      <p>
        {rated === 0
          ? `None of the ${active} could be rated, so there are no totals to show:`
          : `${integer(unrated)} of ${active} could not be rated and ${unrated === 1 ? 'is' : 'are'} left out of the totals:`}
      </p>
      <ul class="failure-list">
        {shown.map((failure) => (
          <li key={failure.subscription} data-subscription={failure.subscription} data-code={failure.code}>
            <a href={href('customers', failure.customer)}>{failure.customer}</a>: {failure.error}
          </li>
        ))}
        {more > 0 && <li>and {integer(more)} more</li>}
      </ul>
    </div>
  );
}

const RUNS_SHOWN = 5;
const FAILURES_SHOWN = 5;

const RUN_NOTES: Partial<Record<Run['status'], string>> = {
  running: 'Still running.',
  interrupted: 'The process running it stopped; the next run resumes its work.',
};

function RunItem({ run }: { run: Run }) {
  const failures = run.results.filter((r) => r.status === 'failed');
  const more = failures.length - FAILURES_SHOWN;
  const { invoiced, skipped, failed } = run.summary;
  return (
    <li data-testid="billing-run" data-run={run.id} data-status={run.status}>
      <div class="run-head">
        <span>
          As of{' '}
          <time dateTime={run.as_of} data-testid="run-as-of">
            {date(run.as_of, { time: true })}
          </time>
        </span>
        <Badge status={run.status} />
      </div>
      <p class="muted small run-summary">
        {integer(invoiced)} invoiced · {integer(skipped)} skipped · {integer(failed)} failed
        {RUN_NOTES[run.status] && ` · ${RUN_NOTES[run.status]}`}
      </p>
      {run.error && <p class="error small">{run.error}</p>}
      {failures.length > 0 && (
        <ul class="failure-list run-failures" aria-label="Subscriptions that could not be billed">
          {failures.slice(0, FAILURES_SHOWN).map((result) => {
            const { label, message } = failureText(result);
            return (
              <li key={result.subscription_id} data-subscription={result.subscription_id} data-code={label}>
                <code>{result.subscription_id}</code> <code>{label}</code>
                {message && `: ${message}`}
              </li>
            );
          })}
          {more > 0 && <li>and {integer(more)} more</li>}
        </ul>
      )}
    </li>
  );
}

function RunsCard() {
  const runs = useAsync(() => api.get<{ data: Run[] }>(`/v1/billing-runs?limit=${RUNS_SHOWN}`), []);
  return (
    <Card title="Billing runs" id="billing-runs">
      <Show state={runs}>
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No billing runs yet.</Empty>
          ) : (
            <ol class="runs">
              {data.map((run) => (
                <RunItem key={run.id} run={run} />
              ))}
            </ol>
          )
        }
      </Show>
    </Card>
  );
}

function TopCustomers({ range, report }: RevenueData) {
  return (
    <Card title={`Top customers, ${range.label.toLowerCase()}`} id="top-customers">
      {report.groups.length === 0 ? (
        <Empty>No invoices in this range.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col" class="num">
                Invoices
              </th>
              <th scope="col" class="num">
                Invoiced
              </th>
            </tr>
          </thead>
          <tbody>
            {report.groups.map((g) => (
              <tr key={`${g.key}-${g.currency}`}>
                <td>
                  <a href={href('customers', g.key)}>{g.label}</a>
                </td>
                <td class="num">{integer(g.count)}</td>
                <td class="num">
                  <Money amount={g.total} currency={g.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

interface EventsData {
  range: EventRange;
  report: IngestionReport;
}

function EventsChart({ range, report }: EventsData) {
  const x = useMemo(() => report.days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000), [report]);
  const series = useMemo(
    () => [
      { label: 'Accepted', color: COLORS.accepted, values: report.days.map((d) => d.accepted) },
      { label: 'Duplicate', color: COLORS.duplicate, values: report.days.map((d) => d.duplicate) },
      { label: 'Rejected', color: COLORS.rejected, values: report.days.map((d) => d.rejected_total) },
    ],
    [report],
  );
  const { totals } = report;
  return (
    <>
      <ul class="stat-row" aria-label={`Totals, ${range.label}`} data-testid="events-totals" data-days={range.days}>
        <li>
          <span class="dot" style={{ background: COLORS.accepted }} /> Accepted{' '}
          <strong data-value={totals.accepted}>{integer(totals.accepted)}</strong>
        </li>
        <li>
          <span class="dot" style={{ background: COLORS.duplicate }} /> Duplicate{' '}
          <strong>{integer(totals.duplicate)}</strong>
        </li>
        <li>
          <span class="dot" style={{ background: COLORS.rejected }} /> Rejected{' '}
          <strong>{integer(totals.rejected)}</strong>
        </li>
      </ul>
      <Chart
        title={`Events per day, ${range.label}: accepted, duplicate and rejected`}
        x={x}
        series={series}
        kind="area"
        height={200}
        testId="events-chart"
      />
    </>
  );
}

function EventsCard(props: { state: Async<EventsData>; days: EventDays; onDays: (days: EventDays) => void }) {
  return (
    <Card
      title="Events per day"
      id="events"
      actions={
        <RangeSelect
          id="events-range"
          label="Events range"
          value={props.days}
          options={EVENT_RANGES.map((d) => [d, `Last ${d} days`] as const)}
          onChange={props.onDays}
        />
      }
    >
      <div aria-busy={props.state.loading ? 'true' : undefined}>
        <Show state={props.state}>{(data) => <EventsChart {...data} />}</Show>
      </div>
      <p class="muted small">
        Per UTC day of receipt. Ingestion statistics are best-effort counters for operations, not billing data.
      </p>
    </Card>
  );
}

function RejectedCard({ range, report }: EventsData) {
  const codes = Object.entries(report.totals.rejected_by_code).sort((a, b) => b[1] - a[1]);
  return (
    <Card title={`Rejected by code, ${range.label}`} id="rejected">
      {codes.length === 0 ? (
        <Empty>No rejected events in the {range.label}.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col" class="num">
                Events
              </th>
            </tr>
          </thead>
          <tbody>
            {codes.map(([code, count]) => (
              <tr key={code}>
                <td>
                  <code>{code}</code>
                </td>
                <td class="num">{integer(count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function Overview() {
  const [revenueKey, setRevenueKey] = useState<RevenueRangeKey>('12m');
  const [eventDays, setEventDays] = useState<EventDays>(30);
  // Each answer travels with the range it was asked for: a chart never pairs new months with an old report.
  const revenue = useAsync(async () => {
    const range = revenueRange(revenueKey);
    const report = await api.get<RevenueReport>(
      `/v1/reports/revenue?${qs({ from: range.from, to: range.to, group_by: 'month' } satisfies RevenueQuery)}`,
    );
    return { range, report };
  }, [revenueKey]);
  const top = useAsync(async () => {
    const range = revenueRange(revenueKey);
    const report = await api.get<RevenueReport>(
      `/v1/reports/revenue?${qs({ from: range.from, to: range.to, group_by: 'customer', limit: 5 } satisfies RevenueQuery)}`,
    );
    return { range, report };
  }, [revenueKey]);
  const events = useAsync(async () => {
    const range = eventRange(eventDays);
    const report = await api.get<IngestionReport>(
      `/v1/reports/ingestion?${qs({ from: range.from, to: range.to } satisfies IngestionQuery)}`,
    );
    return { range, report };
  }, [eventDays]);
  return (
    <>
      <div class="page-head">
        <h1>Overview</h1>
      </div>
      <div class="columns">
        <div class="col">
          <RevenueCard state={revenue} rangeKey={revenueKey} onRange={setRevenueKey} />
          <EventsCard state={events} days={eventDays} onDays={setEventDays} />
        </div>
        <div class="col">
          <UpcomingCard />
          <RunsCard />
          <Show state={top}>{(data) => <TopCustomers {...data} />}</Show>
          <Show state={events}>{(data) => <RejectedCard {...data} />}</Show>
        </div>
      </div>
    </>
  );
}
