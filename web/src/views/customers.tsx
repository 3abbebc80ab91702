import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, qs } from '../api';
import { date, integer, quantity } from '../format';
import { href } from '../router';
import type { CustomerWithEstimate, Meter } from '../types';
import { Card, Empty, Money, Show, useAsync } from '../ui';

interface Page {
  data: CustomerWithEstimate[];
  /** When the estimates were rated (null: never yet). */
  estimates_as_of: string | null;
  next_cursor?: string;
}

const pagePath = (cursor?: string) => `/v1/customers?${qs({ limit: 1000, include: 'estimate', cursor })}`;

export function Customers() {
  const [pages, setPages] = useState<CustomerWithEstimate[][]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [query, setQuery] = useState('');
  const first = useAsync(async () => {
    const page = await api.get<Page>(pagePath());
    setPages([page.data]);
    setCursor(page.next_cursor);
    return page;
  }, []);
  // Meter names for the usage column (the estimates name meters by key); keys until they arrive.
  const meters = useAsync(() => api.get<{ data: Meter[] }>('/v1/meters'), []);
  const meterNames = useMemo(() => new Map(meters.data?.data.map((m) => [m.key, m.name])), [meters.data]);
  const [more, setMore] = useState(false);
  const loadMore = async () => {
    if (!cursor) return;
    setMore(true);
    try {
      const page = await api.get<Page>(pagePath(cursor));
      setPages((p) => [...p, page.data]);
      setCursor(page.next_cursor);
    } finally {
      setMore(false);
    }
  };
  const all = useMemo(() => pages.flat(), [pages]);
  const needle = query.trim().toLowerCase();
  const local = useMemo(
    () =>
      needle ? all.filter((c) => [c.id, c.name, c.email].some((field) => field.toLowerCase().includes(needle))) : all,
    [all, needle],
  );
  // Not every customer is loaded: the API searches them all (debounced while typing).
  const [remote, setRemote] = useState<{ needle: string; data: CustomerWithEstimate[]; truncated: boolean }>();
  useEffect(() => {
    if (!needle || !cursor) return undefined;
    const timer = setTimeout(() => {
      void api
        .get<Page & { truncated: boolean }>(`/v1/customers?${qs({ q: needle, limit: 500, include: 'estimate' })}`)
        .then((page) => setRemote({ needle, data: page.data, truncated: page.truncated }))
        .catch(() => undefined);
    }, 250);
    return () => clearTimeout(timer);
  }, [needle, cursor]);
  const searchedAll = Boolean(needle && cursor && remote?.needle === needle);
  const shown = searchedAll ? remote!.data : local;
  const asOf = first.data?.estimates_as_of;
  return (
    <>
      <div class="page-head">
        <h1>Customers</h1>
      </div>
      <Card>
        <div class="toolbar">
          <div class="field grow">
            <label for="customer-search">Search customers</label>
            <input
              id="customer-search"
              type="search"
              placeholder="Name, id or email"
              value={query}
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          </div>
          <p
            class="muted"
            aria-live="polite"
            data-testid="customer-count"
            data-searched-all={searchedAll ? 'true' : undefined}
          >
            {searchedAll
              ? `${integer(shown.length)}${remote!.truncated ? '+' : ''} ${shown.length === 1 && !remote!.truncated ? 'match' : 'matches'} among all customers`
              : `${integer(shown.length)} of ${integer(all.length)}${cursor ? '+' : ''} customers`}
          </p>
        </div>
        {first.data && (
          <p class="muted small" data-testid="estimates-as-of" data-value={asOf ?? ''}>
            {asOf
              ? `Estimates as of ${date(asOf, { time: true })}: usage so far this period, rated from the counters; bills include tax.`
              : 'No estimates yet: they are rated on a schedule and after each billing run.'}
          </p>
        )}
        <Show state={first}>
          {() =>
            shown.length === 0 ? (
              <Empty>No customer matches “{query}”.</Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Id</th>
                    <th scope="col" class="hide-narrow">
                      Email
                    </th>
                    <th scope="col">Currency</th>
                    <th scope="col" class="hide-narrow">
                      Time zone
                    </th>
                    <th scope="col">Usage this period</th>
                    <th scope="col" class="num">
                      Estimated bill
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.slice(0, 500).map((c) => (
                    <tr key={c.id}>
                      <td>
                        <a href={href('customers', c.id)}>{c.name}</a>
                        {c.suspended && (
                          <>
                            {' '}
                            <span class="badge red" data-testid={`suspended-${c.id}`}>
                              Suspended
                            </span>
                          </>
                        )}
                      </td>
                      <td>
                        <code>{c.id}</code>
                      </td>
                      <td class="hide-narrow">{c.email}</td>
                      <td>{c.currency}</td>
                      <td class="hide-narrow">{c.timezone}</td>
                      <td data-testid={`usage-${c.id}`}>
                        {!c.estimate ? (
                          <>
                            <span class="muted" aria-hidden="true">
                              —
                            </span>
                            <span class="sr-only">No estimate</span>
                          </>
                        ) : c.estimate.usage.length === 0 ? (
                          <span class="muted">No metered charges</span>
                        ) : (
                          <ul class="usage-list">
                            {c.estimate.usage.map((u) => (
                              <li key={u.meter} data-meter={u.meter} data-value={u.quantity}>
                                {meterNames.get(u.meter) ?? u.meter}: <span class="num">{quantity(u.quantity)}</span>
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                      <td class="num" data-testid={`estimate-${c.id}`} data-value={c.estimate?.total ?? ''}>
                        {c.estimate ? (
                          <>
                            <Money amount={c.estimate.total} currency={c.estimate.currency} />
                            {c.estimate.as_of !== asOf && (
                              // From a refresh still running (newer than the list's line above).
                              <div class="muted small">as of {date(c.estimate.as_of, { time: true })}</div>
                            )}
                          </>
                        ) : (
                          <>
                            <span class="muted" aria-hidden="true">
                              —
                            </span>
                            <span class="sr-only">No estimate (no active subscription)</span>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Show>
        {shown.length > 500 && <p class="muted">Showing the first 500; refine the search.</p>}
        {cursor && (
          <button type="button" onClick={loadMore} disabled={more}>
            {more ? 'Loading…' : 'Load more customers'}
          </button>
        )}
      </Card>
    </>
  );
}
