import { createHash } from 'node:crypto';
import {
  type Alert,
  type AlertTrigger,
  alertEventType,
  anchorSubscription,
  crossed,
  triggerId,
} from '../domain/alert.js';
import { isExpired } from '../domain/billing/credit.js';
import type { Subscription } from '../domain/billing/subscription.js';
import { Decimal, sum, ZERO } from '../domain/decimal.js';
import { BUCKET_MS } from '../domain/metering/buckets.js';
import type { Meter } from '../domain/metering/meter.js';
import { formatAmount, formatDecimal } from '../domain/money.js';
import { webhookEvent } from '../domain/webhook-event.js';
import { type CloseDeps, upcomingInvoice } from './close-period.js';
import { NotFoundError } from './errors.js';
import type { AlertFiring } from './ports/alerts.js';
import type { DeliveryKind } from './ports/invoices.js';
import { queryUsage } from './query-usage.js';

/**
 * Usage alerts: evaluated where the period's usage and running bill are computed anyway (the estimates
 * refresh, on its schedule) and on request (POST /v1/alerts/check), never on the ingest path. An alert
 * whose value crossed its threshold fires once per billing period: the marker `<alert id>~<period
 * start>` is written with condition attribute_not_exists in one transaction with the webhook event
 * (`usage.alert_triggered` / `credits.balance_low`) and the email's outbox entry (kind `alert`), so
 * racing checks fire once and the next period fires again.
 */
export interface AlertCheckDeps
  extends Pick<CloseDeps, 'plans' | 'usage' | 'config' | 'clock' | 'customers' | 'credits'>,
    Partial<Pick<CloseDeps, 'charges'>> {
  meters: { list(): Promise<Meter[]>; get(key: string): Promise<Meter> };
  subscriptions: { byCustomer(customerId: string): Promise<Subscription[]> };
  alerts: AlertFiring;
  /** Hands the webhook fan-out and the email to the delivery queue at once (the outbox sweep covers a lost hand-over). */
  queue?: { send(id: string, kind: DeliveryKind): Promise<void> };
}

export type AlertCheckOutcome = {
  alertId: string;
  /** `fired`: this check fired it; `already_fired`: it fired earlier in this period; `not_reached`; `skipped` (see reason). */
  status: 'fired' | 'already_fired' | 'not_reached' | 'skipped';
  value?: string;
  threshold: string;
  periodStart?: string;
  reason?: string;
  trigger?: AlertTrigger;
};

/** The webhook event id of a firing: the same for every check of that alert and period. */
export const alertEventId = (alertId: string, periodStart: string) =>
  `evt_${createHash('sha256').update(`alert|${alertId}|${periodStart}`).digest('hex').slice(0, 24)}`;

/** The webhook event's resource: the alert and the firing. */
export interface AlertEventResource {
  alert: Alert;
  trigger: AlertTrigger;
}

/**
 * Checks a customer's alerts now (`alerts`: the customer's alerts if already read; `only`: check just
 * these alert ids). Answers one outcome per alert checked.
 */
export async function checkAlerts(
  deps: AlertCheckDeps,
  customerId: string,
  options: {
    alerts?: readonly Alert[];
    only?: (alert: Alert) => boolean;
    /** Ratings at hand (the estimates refresh rated the subscription already). */
    ratings?: ReadonlyMap<string, ReturnType<typeof upcomingInvoice>>;
  } = {},
): Promise<AlertCheckOutcome[]> {
  const all = options.alerts ?? (await deps.alerts.list(customerId));
  const alerts = all.filter((alert) => alert.customerId === customerId && (options.only?.(alert) ?? true));
  if (alerts.length === 0) return [];
  const now = deps.clock();
  const customer = await deps.customers.get(customerId);
  const active = (await deps.subscriptions.byCustomer(customerId)).filter(
    (s) => s.status === 'active' && new Date(s.current.start) <= now && now < new Date(s.current.end),
  );
  const anchor = anchorSubscription(active);
  // Each subscription is rated at most once per check.
  const ratings = new Map<string, ReturnType<typeof upcomingInvoice>>(options.ratings);
  const rate = (subscription: Subscription) => {
    let rating = ratings.get(subscription.id);
    if (!rating) {
      rating = upcomingInvoice(deps, subscription);
      ratings.set(subscription.id, rating);
    }
    return rating;
  };
  const bucketEnd = new Date((Math.floor(now.getTime() / BUCKET_MS) + 1) * BUCKET_MS);

  const watchedValue = async (alert: Alert, subscription: Subscription): Promise<string> => {
    if (alert.kind === 'usage') {
      const end = new Date(subscription.current.end);
      const { series } = await queryUsage(deps, {
        customerId,
        meterKey: alert.meter ?? '',
        from: new Date(subscription.current.start),
        to: bucketEnd < end ? bucketEnd : end,
        granularity: 'total',
      });
      return formatDecimal(sum(series.map((point) => point.value)));
    }
    const currency = alert.currency ?? customer.currency;
    // The running bill of the subscription, or of every active subscription of the customer in the currency.
    const watched = alert.subscriptionId ? [subscription] : active;
    if (alert.kind === 'spend') {
      const rated = await Promise.all(watched.map(rate));
      return formatAmount(
        sum(rated.filter((r) => r.plan.currency === currency).map((r) => new Decimal(r.rated.subtotal))),
        currency,
      );
    }
    // The prepaid credit balance in effect, less what the open periods would draw from it now.
    const granted = (await deps.credits.grants(customerId)).filter((grant) => grant.currency === currency);
    // A customer who never had credits has no balance to fall (its alert would fire every period).
    if (granted.length === 0) throw new NotFoundError(`customer '${customerId}' has no credit grants in ${currency}`);
    const rated = await Promise.all(watched.map(rate));
    const grants = granted.filter((grant) => !isExpired(grant, now) && Date.parse(grant.effectiveAt) <= now.getTime());
    const balance = sum(grants.map((grant) => new Decimal(grant.balance)));
    const drawing = sum(
      rated.flatMap((r) => r.rated.grantsDrawn.filter((g) => g.grant.currency === currency).map((g) => g.drawn)),
    );
    return formatAmount(Decimal.max(ZERO, balance.minus(drawing)), currency);
  };

  const outcomes: AlertCheckOutcome[] = [];
  for (const alert of alerts) {
    const base = { alertId: alert.id, threshold: alert.threshold };
    const subscription = alert.subscriptionId ? active.find((s) => s.id === alert.subscriptionId) : anchor;
    if (!subscription) {
      outcomes.push({
        ...base,
        status: 'skipped',
        reason: alert.subscriptionId
          ? `subscription '${alert.subscriptionId}' has no current period`
          : 'the customer has no active subscription (no current period)',
      });
      continue;
    }
    const periodStart = subscription.current.start;
    let value: string;
    try {
      value = await watchedValue(alert, subscription);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      outcomes.push({ ...base, status: 'skipped', periodStart, reason: error.message });
      continue;
    }
    if (!crossed(alert.kind, value, alert.threshold)) {
      outcomes.push({ ...base, status: 'not_reached', value, periodStart });
      continue;
    }
    const id = triggerId(alert.id, periodStart);
    if (await deps.alerts.findTrigger(id)) {
      outcomes.push({ ...base, status: 'already_fired', value, periodStart });
      continue;
    }
    const email = customer.email?.trim();
    const trigger: AlertTrigger = {
      alertId: alert.id,
      customerId,
      periodStart,
      periodEnd: subscription.current.end,
      value,
      threshold: alert.threshold,
      triggeredAt: now.toISOString(),
      eventId: alertEventId(alert.id, periodStart),
      email: email
        ? { status: 'pending', to: email, locale: customer.locale, attempts: 0 }
        : { status: 'none', attempts: 0 },
    };
    const resource: AlertEventResource = { alert, trigger };
    const event = webhookEvent(trigger.eventId, alertEventType(alert.kind), trigger.triggeredAt, 'alert', resource);
    const fired = await deps.alerts.fire(trigger, event);
    if (fired.status === 'fired') {
      outcomes.push({ ...base, status: 'fired', value, periodStart, trigger });
      // The outbox entries are written: a failed hand-over is the sweep's to repeat.
      await deps.queue?.send(event.id, 'webhook').catch(() => undefined);
      if (trigger.email.status === 'pending') await deps.queue?.send(id, 'alert').catch(() => undefined);
    } else if (fired.status === 'already_fired')
      outcomes.push({ ...base, status: 'already_fired', value, periodStart });
    else outcomes.push({ ...base, status: 'skipped', value, periodStart, reason: 'the alert was deleted' });
  }
  return outcomes;
}
