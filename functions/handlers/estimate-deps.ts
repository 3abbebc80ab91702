import { checkAlerts } from '../app/alerts.js';
import { upcomingInvoice } from '../app/close-period.js';
import type { EstimateDeps } from '../app/estimates.js';
import { checkThresholds } from '../app/progressive.js';
import { skippingQuietCustomers } from '../app/usage-input.js';
import { backfillUsageMonths } from '../app/usage-months.js';
import type { Alert } from '../domain/alert.js';
import { levelReached, usageBill } from '../domain/billing/progressive.js';
import type { Subscription } from '../domain/billing/subscription.js';
import type { ApiDeps } from './deps.js';
import { upcomingHeaderJson } from './routes/billing-wire.js';

/** Caches one promise per key for the lifetime of the returned function (one refresh). */
function memo<A extends unknown[], R>(load: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const cache = new Map<string, Promise<R>>();
  return (...args: A) => {
    const key = JSON.stringify(args);
    let hit = cache.get(key);
    if (!hit) {
      hit = load(...args);
      hit.catch(() => cache.delete(key));
      cache.set(key, hit);
    }
    return hit;
  };
}

/**
 * What a refresh of the estimates needs, from the handlers' deps. Plan versions and the meter list
 * are read once per refresh (plan versions never change; a meter changed during a refresh shows in the next),
 * and the customers of the active subscriptions in batches before rating.
 */
export function estimateDeps(
  deps: Pick<
    ApiDeps,
    'config' | 'clock' | 'plans' | 'meters' | 'customers' | 'usage' | 'subscriptions' | 'estimates' | 'credits'
  > &
    /** With the invoice store, the refresh also checks progressive-billing thresholds (see checkThresholds). */
    Partial<Pick<ApiDeps, 'invoices'>> &
    /** With the charge store, estimates include pending one-off charges as the upcoming invoice does. */
    Partial<Pick<ApiDeps, 'charges'>> &
    /** With the alert store, the refresh also checks usage alerts (see checkAlerts; `deliveryQueue` hands their webhooks and emails over at once). */
    Partial<Pick<ApiDeps, 'alerts' | 'deliveryQueue'>>,
): EstimateDeps {
  const plans: ApiDeps['plans'] = Object.assign(Object.create(deps.plans), {
    get: memo(deps.plans.get.bind(deps.plans)),
  });
  const meters: ApiDeps['meters'] = Object.assign(Object.create(deps.meters), {
    list: memo(deps.meters.list.bind(deps.meters)),
  });
  // The customers of every active subscription, read 100 at a time up front (one GetItem each otherwise).
  let prefetched = new Map<string, Awaited<ReturnType<ApiDeps['customers']['get']>>>();
  const customers: ApiDeps['customers'] = Object.assign(Object.create(deps.customers), {
    get: (id: string) => {
      const customer = prefetched.get(id);
      return customer ? Promise.resolve(customer) : deps.customers.get(id);
    },
  });
  // Customers whose item records no usage month in a range are not read there (see skippingQuietCustomers),
  // and the sparse months of the others are read 50 customers to a request (customers with day rollups,
  // found busy before, one by one).
  let usageMonths = new Map<string, ReadonlySet<string>>();
  const usage = skippingQuietCustomers(
    deps.usage.batchingSparseReads((id) => prefetched.get(id)?.rolledThrough !== undefined),
    (id) => usageMonths.get(id),
  );
  const rating = { ...deps, plans, meters, customers, usage };
  // Usage alerts: every alert is read once per refresh (one query), and only customers with alerts are checked.
  let alertsByCustomer = new Map<string, Alert[]>();
  let activeByCustomer = new Map<string, Subscription[]>();
  return {
    clock: deps.clock,
    activeSubscriptions: async () => {
      const subscriptions = await deps.subscriptions.active();
      prefetched = await deps.customers.getMany(subscriptions.map((s) => s.customerId));
      // Customers from before 2026-12-03, a hundred per refresh: the next refreshes skip their quiet months.
      await backfillUsageMonths(deps, [...prefetched.values()]);
      usageMonths = new Map();
      for (const [id, customer] of prefetched)
        if (customer.usageMonths) usageMonths.set(id, new Set(customer.usageMonths));
      if (deps.alerts) {
        alertsByCustomer = new Map();
        for (const alert of await deps.alerts.list())
          alertsByCustomer.set(alert.customerId, [...(alertsByCustomer.get(alert.customerId) ?? []), alert]);
        activeByCustomer = new Map();
        for (const subscription of subscriptions)
          activeByCustomer.set(subscription.customerId, [
            ...(activeByCustomer.get(subscription.customerId) ?? []),
            subscription,
          ]);
      }
      return subscriptions;
    },
    estimates: deps.estimates,
    rate: async (subscription) => {
      const rating$ = upcomingInvoice(rating, subscription);
      const { plan, rated, segment, until, customer } = await rating$;
      // Progressive billing: the rating is at hand, so a plan with thresholds costs one read of the
      // period's marker, and a check (which rates again and invoices) only when a new level is reached.
      const { invoices } = deps;
      const level = invoices && levelReached(plan.progressiveBilling, usageBill(rated.lines));
      if (invoices && level) {
        const state = await invoices.progressive(subscription.id, subscription.current.start);
        if (level.index > state.index) await checkThresholds({ ...rating, invoices }, subscription);
      }
      // Usage alerts of the customer, checked once per refresh (with its first active subscription), from this rating.
      const alerts = alertsByCustomer.get(subscription.customerId);
      const active = activeByCustomer.get(subscription.customerId) ?? [];
      if (deps.alerts && alerts && active[0]?.id === subscription.id)
        await checkAlerts(
          {
            ...rating,
            alerts: deps.alerts,
            subscriptions: { byCustomer: async () => active },
            ...(deps.deliveryQueue ? { queue: deps.deliveryQueue } : {}),
          },
          subscription.customerId,
          { alerts, ratings: new Map([[subscription.id, rating$]]) },
        );
      // One quantity per meter: two charges on one meter price the same usage.
      const usage = new Map<string, string>();
      for (const line of rated.lines)
        if (line.kind === 'usage' && line.meter && !usage.has(line.meter)) usage.set(line.meter, line.quantity);
      // The upcoming invoice's own wire fields and totals, without its lines, discounts, credits and tax details.
      return {
        ...upcomingHeaderJson(subscription, plan, segment, until),
        subtotal: rated.subtotal,
        total: rated.total,
        name: customer.name,
        usage: [...usage.entries()].map(([meter, quantity]) => ({ meter, quantity })),
      };
    },
  };
}
