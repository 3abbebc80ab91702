/**
 * Usage alerts: thresholds per customer (or one of its subscriptions) on a meter's usage, on the
 * running bill of the current period, or on the prepaid credit balance. Each alert fires at most once
 * per billing period. Pure: ids, times and values come in as arguments; decimal.js only.
 */
import { Decimal } from './decimal.js';

export const ALERT_KINDS = ['usage', 'spend', 'credit_balance'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** At most this many alerts per customer. */
export const MAX_ALERTS_PER_CUSTOMER = 50;
/** At most this many firings are shown on an alert (the newest). */
export const TRIGGERS_SHOWN = 20;

export interface Alert {
  /** `al_` + 16 hex digits. */
  id: string;
  customerId: string;
  /** Absent: the alert watches the customer as a whole (see {@link alertScope}). */
  subscriptionId?: string;
  kind: AlertKind;
  /** `usage`: the meter whose period quantity is watched. */
  meter?: string;
  /**
   * A positive decimal string: a quantity (`usage`), or an amount in {@link currency} (`spend`: the
   * running bill reaches it; `credit_balance`: the balance falls below it).
   */
  threshold: string;
  /** `spend` and `credit_balance`: the currency of the threshold. */
  currency?: string;
  name?: string;
  createdAt: string;
}

/** One firing of an alert in one period (the marker that makes it once per period). */
export interface AlertTrigger {
  alertId: string;
  customerId: string;
  /** The start of the billing period it fired in (with the alert id, the marker's key). */
  periodStart: string;
  periodEnd: string;
  /** The watched value when it fired (quantity or amount, decimal string). */
  value: string;
  threshold: string;
  triggeredAt: string;
  /** The webhook event written with it (`usage.alert_triggered` or `credits.balance_low`). */
  eventId: string;
  /** The email to the customer: owed (`pending`), `sent`, or `none` when the customer has no email address. */
  email: {
    status: 'pending' | 'sent' | 'none';
    to?: string;
    /** The customer's locale when it fired (the email's language). */
    locale?: string;
    sentAt?: string;
    messageId?: string;
    attempts: number;
  };
}

/**
 * The crossing rule: usage and spend alerts fire when the value reached the threshold (value >=
 * threshold); a credit balance alert when the balance fell below it (value < threshold).
 */
export function crossed(kind: AlertKind, value: Decimal | string, threshold: Decimal | string): boolean {
  const current = new Decimal(value);
  return kind === 'credit_balance' ? current.lt(threshold) : current.gte(threshold);
}

/** The webhook event type an alert's firing produces. */
export const alertEventType = (kind: AlertKind) =>
  kind === 'credit_balance' ? ('credits.balance_low' as const) : ('usage.alert_triggered' as const);

/** The id of the once-per-period marker (also its email's outbox id): `<alert id>~<period start>`. */
export const triggerId = (alertId: string, periodStart: string) => `${alertId}~${periodStart}`;

export function parseTriggerId(id: string): { alertId: string; periodStart: string } | undefined {
  const at = id.indexOf('~');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { alertId: id.slice(0, at), periodStart: id.slice(at + 1) };
}

/**
 * Which subscription's period a customer-wide alert follows: the customer's active subscription whose
 * current period started first (ties: the smaller id). Undefined when the customer has none.
 */
export function anchorSubscription<S extends { id: string; current: { start: string } }>(
  active: readonly S[],
): S | undefined {
  return [...active].sort((a, b) => a.current.start.localeCompare(b.current.start) || a.id.localeCompare(b.id))[0];
}

/** What the alert watches, in words (e-mail, dashboard): the meter, the running bill, the credit balance. */
export function watchedName(alert: Pick<Alert, 'kind' | 'meter'>, locale: 'en' | 'de'): string {
  if (alert.kind === 'usage') return locale === 'de' ? `Zähler ${alert.meter}` : `meter ${alert.meter}`;
  if (alert.kind === 'spend') return locale === 'de' ? 'die laufende Rechnung' : 'the running bill';
  return locale === 'de' ? 'das Guthaben' : 'the credit balance';
}

/** The alert email's subject and text (EN/DE by the customer's locale). */
export function alertEmailText(
  alert: Pick<Alert, 'kind' | 'meter' | 'name' | 'currency' | 'id'>,
  trigger: Pick<AlertTrigger, 'value' | 'threshold' | 'periodStart' | 'periodEnd'>,
  locale: string,
): { subject: string; text: string } {
  const de = locale.toLowerCase().startsWith('de');
  const name = alert.name ?? alert.id;
  const unit = alert.currency ? ` ${alert.currency}` : '';
  const watched = watchedName(alert, de ? 'de' : 'en');
  const period = `${trigger.periodStart.slice(0, 10)} – ${trigger.periodEnd.slice(0, 10)}`;
  const value = `${trigger.value}${unit}`;
  const threshold = `${trigger.threshold}${unit}`;
  if (de) {
    const what =
      alert.kind === 'credit_balance'
        ? `${watched} ist auf ${value} gefallen (Schwelle ${threshold})`
        : `${watched} hat ${value} erreicht (Schwelle ${threshold})`;
    return {
      subject: `Nutzungswarnung: ${name}`,
      text: `Nutzungswarnung: ${name} — ${what} im Zeitraum ${period}.\n\nDiese Warnung wird einmal pro Abrechnungszeitraum gesendet.\n`,
    };
  }
  const what =
    alert.kind === 'credit_balance'
      ? `${watched} fell to ${value} (threshold ${threshold})`
      : `${watched} reached ${value} (threshold ${threshold})`;
  return {
    subject: `Usage alert: ${name}`,
    text: `Usage alert: ${name} — ${what} in the period ${period}.\n\nThis alert is sent once per billing period.\n`,
  };
}
