import { Fragment } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { Chart } from '../chart';
import { plotNumber, quantity } from '../format';
import type { Charge, Evaluation, Meter, Plan } from '../types';
import { Card, Empty, ErrorNote, Money, Show, useAsync } from '../ui';

/** Price models a plain quantity can price; the others need per-event amounts or usage records with dimensions/time. */
const QUANTITY_MODELS = new Set(['per_unit', 'package', 'graduated', 'volume', 'overage']);
const DECIMAL = /^\d{1,15}(\.\d{1,12})?$/;

const chargeName = (charge: Charge) => charge.display_name ?? charge.meter;

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
    default:
      return price.model.replace(/_/g, ' ');
  }
}

function Simulator({ plans, initialPlan }: { plans: Plan[]; initialPlan?: string }) {
  const [planKey, setPlanKey] = useState(
    initialPlan && plans.some((p) => p.key === initialPlan) ? initialPlan : plans[0]?.key,
  );
  const plan = plans.find((p) => p.key === planKey);
  const charges = (plan?.charges ?? []).map((charge, index) => ({ charge, index }));
  const priceable = charges.filter(({ charge }) => QUANTITY_MODELS.has(charge.price.model));
  const [chargeIndex, setChargeIndex] = useState<number>();
  const selected =
    charges.find((c) => c.index === chargeIndex && QUANTITY_MODELS.has(c.charge.price.model)) ?? priceable[0];
  const [amountInput, setAmountInput] = useState('1000');
  const [result, setResult] = useState<{ evaluation: Evaluation; curve: { x: string[]; y: number[] } }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const valid = DECIMAL.test(amountInput.trim());

  const simulate = async (event: Event) => {
    event.preventDefault();
    if (!plan || !selected || !valid) return;
    setBusy(true);
    setError(undefined);
    const evaluate = (q: string) =>
      api.post<Evaluation>('/v1/prices/evaluate', {
        currency: plan.currency,
        price: selected.charge.price,
        quantity: q,
      });
    try {
      const q = amountInput.trim();
      // The curve: 0 .. 2x the quantity in 16 steps (chart geometry only; the figure shown is the exact evaluation).
      const top = Math.max(10, plotNumber(q) * 2);
      const steps = Array.from({ length: 17 }, (_, i) => String(Math.round((top * i) / 16)));
      const [evaluation, ...points] = await Promise.all([evaluate(q), ...steps.map(evaluate)]);
      setResult({ evaluation: evaluation!, curve: { x: steps, y: points.map((p) => plotNumber(p.amount)) } });
    } catch (failure) {
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

  return (
    <Card title="Price simulator" id="simulator" class="span-3">
      <form class="toolbar" onSubmit={simulate}>
        <div class="field">
          <label for="sim-plan">Plan</label>
          <select
            id="sim-plan"
            value={planKey}
            onChange={(e) => {
              setPlanKey(e.currentTarget.value);
              setChargeIndex(undefined);
              setResult(undefined);
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
              setResult(undefined);
            }}
          >
            {priceable.map(({ charge, index }) => (
              <option key={index} value={index}>
                {chargeName(charge)} ({charge.price.model.replace(/_/g, ' ')})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="sim-quantity">Quantity</label>
          <input
            id="sim-quantity"
            inputMode="decimal"
            value={amountInput}
            aria-invalid={valid ? undefined : 'true'}
            aria-describedby="sim-quantity-hint"
            onInput={(e) => setAmountInput(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary" disabled={busy || !selected || !valid}>
          {busy ? 'Evaluating…' : 'Simulate'}
        </button>
      </form>
      <p id="sim-quantity-hint" class="muted small">
        {valid ? 'A non-negative decimal, e.g. 12500 or 3.75.' : 'Enter a non-negative decimal, e.g. 12500 or 3.75.'}
        {priceable.length < charges.length &&
          ` Charges priced per event, by dimension or by time of use (${charges
            .filter((c) => !QUANTITY_MODELS.has(c.charge.price.model))
            .map((c) => chargeName(c.charge))
            .join(', ')}) need usage records and are not simulated here.`}
        {plan?.base_fee && ' The plan’s base fee is not part of a charge.'}
      </p>
      {priceable.length === 0 && <Empty>This plan has no charge a plain quantity can price.</Empty>}
      {error && <ErrorNote error={error} />}
      {result && plan && (
        <div class="sim-result">
          <div>
            <p class="figure-line">
              <span class="muted">{quantity(result.evaluation.quantity)} units cost</span>{' '}
              <strong data-testid="sim-amount" data-value={result.evaluation.amount}>
                <Money amount={result.evaluation.amount} currency={plan.currency} />
              </strong>
            </p>
            <ul class="explain">
              {result.evaluation.lines.map((line, i) => (
                <li key={i}>
                  <span>{line.description}</span>
                  <span class="num">
                    <Money amount={line.amount} currency={plan.currency} />
                  </span>
                </li>
              ))}
            </ul>
          </div>
          <Chart
            title={`Cost of ${chargeName(selected!.charge)} against quantity`}
            x={xLabels}
            series={series}
            kind="lines"
            height={220}
            xLabel="Quantity"
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
  const initialPlan = new URLSearchParams(location.hash.split('?')[1] ?? '').get('plan') ?? undefined;
  return (
    <>
      <div class="page-head">
        <h1>Plans &amp; meters</h1>
        <p class="muted">Read-only. Plans are versioned: invoices name the version they used.</p>
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
                <Simulator plans={list.data} initialPlan={initialPlan} />
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
                            <Money amount={plan.base_fee.amount} currency={plan.currency} />{' '}
                            {(plan.base_fee.timing ?? 'in_arrears').replace('_', ' ')}
                          </dd>
                        </>
                      )}
                      {plan.minimum_commitment && (
                        <>
                          <dt>Minimum</dt>
                          <dd>
                            <Money amount={plan.minimum_commitment} currency={plan.currency} />
                          </dd>
                        </>
                      )}
                      {plan.charges.map((charge, i) => (
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
                      <td>{m.aggregation.replace('_', ' ')}</td>
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
