import { useMemo, useState } from 'preact/hooks';
import { api, qs } from '../api';
import { integer } from '../format';
import { href } from '../router';
import type { Customer } from '../types';
import { Card, Empty, Show, useAsync } from '../ui';

interface Page {
  data: Customer[];
  next_cursor?: string;
}

export function Customers() {
  const [pages, setPages] = useState<Customer[][]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [query, setQuery] = useState('');
  const first = useAsync(async () => {
    const page = await api.get<Page>(`/v1/customers?${qs({ limit: 1000 })}`);
    setPages([page.data]);
    setCursor(page.next_cursor);
    return page;
  }, []);
  const [more, setMore] = useState(false);
  const loadMore = async () => {
    if (!cursor) return;
    setMore(true);
    try {
      const page = await api.get<Page>(`/v1/customers?${qs({ limit: 1000, cursor })}`);
      setPages((p) => [...p, page.data]);
      setCursor(page.next_cursor);
    } finally {
      setMore(false);
    }
  };
  const all = useMemo(() => pages.flat(), [pages]);
  const needle = query.trim().toLowerCase();
  const shown = useMemo(
    () =>
      needle ? all.filter((c) => [c.id, c.name, c.email].some((field) => field.toLowerCase().includes(needle))) : all,
    [all, needle],
  );
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
          <p class="muted" aria-live="polite">
            {integer(shown.length)} of {integer(all.length)}
            {cursor ? '+' : ''} customers
          </p>
        </div>
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
                    <th scope="col">Email</th>
                    <th scope="col">Currency</th>
                    <th scope="col" class="hide-narrow">
                      Time zone
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.slice(0, 500).map((c) => (
                    <tr key={c.id}>
                      <td>
                        <a href={href('customers', c.id)}>{c.name}</a>
                      </td>
                      <td>
                        <code>{c.id}</code>
                      </td>
                      <td>{c.email}</td>
                      <td>{c.currency}</td>
                      <td class="hide-narrow">{c.timezone}</td>
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
