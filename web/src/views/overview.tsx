import { useMemo, useState } from 'preact/hooks';
import { api, qs } from '../api';
import { Chart } from '../chart';
import { integer, monthLabel, plotNumber } from '../format';
import { href } from '../router';
import type { IngestionReport, RevenueReport, UpcomingReport } from '../types';
import { Card, Empty, Money, Show, useAsync } from '../ui';

const DAY = 86_400_000;
const utcMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 1));

function ranges(now = new Date()) {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const today = Date.UTC(y, m, now.getUTCDate());
  const months = Array.from({ length: 12 }, (_, i) =>
    utcMonth(y, m - 11 + i)
      .toISOString()
      .slice(0, 7),
  );
  return {
    months,
    revenue: { from: utcMonth(y, m - 11).toISOString(), to: utcMonth(y, m + 1).toISOString() },
    events: { from: new Date(today - 29 * DAY).toISOString(), to: new Date(today + DAY).toISOString() },
  };
}

const COLORS = { accepted: '#1f4fd1', duplicate: '#c98a12', rejected: '#c2372f' };

function RevenueCard({ months, report }: { months: string[]; report: RevenueReport }) {
  const currencies = [...new Set(report.groups.map((g) => g.currency))].sort();
  const [picked, setPicked] = useState<string>();
  const currency = picked && currencies.includes(picked) ? picked : currencies[0];
  const rows = months.map((month) => report.groups.find((g) => g.key === month && g.currency === currency));
  const labels = useMemo(() => months.map(monthLabel), [months]);
  const series = useMemo(
    () => [
      {
        label: `Invoiced (${currency})`,
        color: COLORS.accepted,
        values: rows.map((r) => (r ? plotNumber(r.total) : 0)),
      },
    ],
    [currency, report],
  );
  const total = report.totals.find((t) => t.currency === currency);
  return (
    <Card
      title="Revenue invoiced per month"
      id="revenue"
      actions={
        currencies.length > 1 && (
          <fieldset class="segmented">
            <legend class="sr-only">Currency</legend>
            {currencies.map((c) => (
              <button type="button" key={c} aria-pressed={c === currency} onClick={() => setPicked(c)}>
                {c}
              </button>
            ))}
          </fieldset>
        )
      }
    >
      {!currency ? (
        <Empty>No invoices issued in the last 12 months.</Empty>
      ) : (
        <>
          <p class="figure-line">
            <span class="muted">Last 12 months</span>{' '}
            <strong>{total && <Money amount={total.total} currency={currency} />}</strong>
            <span class="muted">
              {' '}
              · {integer(total?.count ?? 0)} invoices · outstanding{' '}
              {total && <Money amount={total.outstanding} currency={currency} />}
            </span>
          </p>
          <Chart
            title={`Revenue invoiced per month in ${currency}`}
            x={labels}
            series={series}
            kind="bars"
            testId="revenue-chart"
          />
        </>
      )}
    </Card>
  );
}

function UpcomingCard({ report }: { report: UpcomingReport }) {
  return (
    <Card title="About to be billed this period" id="upcoming">
      {report.totals.length === 0 ? (
        <Empty>No active subscriptions.</Empty>
      ) : (
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
      {report.failed.length > 0 && (
        <p class="error">
          {report.failed.length} subscriptions could not be rated: {report.failed[0]?.error}
        </p>
      )}
      <p class="muted small">Usage so far, rated live from the counters; totals include tax.</p>
    </Card>
  );
}

function TopCustomers({ report }: { report: RevenueReport }) {
  return (
    <Card title="Top customers, last 12 months" id="top-customers">
      {report.groups.length === 0 ? (
        <Empty>No invoices yet.</Empty>
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

function EventsCard({ report }: { report: IngestionReport }) {
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
    <Card title="Events per day, last 30 days" id="events">
      <ul class="stat-row" aria-label="Totals, last 30 days">
        <li>
          <span class="dot" style={{ background: COLORS.accepted }} /> Accepted{' '}
          <strong>{integer(totals.accepted)}</strong>
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
        title="Events per day: accepted, duplicate and rejected"
        x={x}
        series={series}
        kind="area"
        height={200}
        testId="events-chart"
      />
      <p class="muted small">Ingestion statistics are best-effort counters for operations, not billing data.</p>
    </Card>
  );
}

function RejectedCard({ report }: { report: IngestionReport }) {
  const codes = Object.entries(report.totals.rejected_by_code).sort((a, b) => b[1] - a[1]);
  return (
    <Card title="Rejected by code" id="rejected">
      {codes.length === 0 ? (
        <Empty>No rejected events in the last 30 days.</Empty>
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
  const range = useMemo(() => ranges(), []);
  const revenue = useAsync(
    () => api.get<RevenueReport>(`/v1/reports/revenue?${qs({ ...range.revenue, group_by: 'month' })}`),
    [],
  );
  const top = useAsync(
    () => api.get<RevenueReport>(`/v1/reports/revenue?${qs({ ...range.revenue, group_by: 'customer', limit: 5 })}`),
    [],
  );
  const upcoming = useAsync(() => api.get<UpcomingReport>('/v1/reports/upcoming?top=5'), []);
  const events = useAsync(() => api.get<IngestionReport>(`/v1/reports/ingestion?${qs(range.events)}`), []);
  return (
    <>
      <div class="page-head">
        <h1>Overview</h1>
      </div>
      <div class="columns">
        <div class="col">
          <Show state={revenue}>{(r) => <RevenueCard months={range.months} report={r} />}</Show>
          <Show state={events}>{(r) => <EventsCard report={r} />}</Show>
        </div>
        <div class="col">
          <Show state={upcoming}>{(r) => <UpcomingCard report={r} />}</Show>
          <Show state={top}>{(r) => <TopCustomers report={r} />}</Show>
          <Show state={events}>{(r) => <RejectedCard report={r} />}</Show>
        </div>
      </div>
    </>
  );
}
