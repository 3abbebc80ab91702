import { paymentInstructionsText } from '../../adapters/documents/details.js';
import { upcomingInvoice } from '../../app/close-period.js';
import { eInvoiceFormatFor } from '../../app/documents.js';
import { NotFoundError } from '../../app/errors.js';
import {
  DEFAULT_PORTAL_LINK_MINUTES,
  newPortalLinkId,
  type PortalClaims,
  signPortalToken,
  verifyPortalToken,
} from '../../app/portal-links.js';
import type { RenderedDocument } from '../../app/ports/documents.js';
import type { CreditNote } from '../../domain/billing/credit-note.js';
import { amountPaidOf, amountRemainingOf, paymentStatusOf } from '../../domain/billing/payment.js';
import type { Customer } from '../../domain/customer.js';
import { Decimal, sum, ZERO } from '../../domain/decimal.js';
import { type Invoice, invoiceTotalsOf } from '../../domain/invoice.js';
import { formatAmount } from '../../domain/money.js';
import { HttpError } from '../../http/errors.js';
import { documentResponse, json } from '../../http/respond.js';
import { type ApiRequest, type ApiResponse, type Route, routesFor } from '../../http/router.js';
import { E_INVOICE_RESPONSE, PortalEInvoiceQuerySchema } from '../../schemas/documents.js';
import {
  CreatePortalLinkSchema,
  PortalCreditNoteListSchema,
  PortalInvoiceListSchema,
  PortalLinkResponseSchema,
  PortalOverviewSchema,
  PortalPaymentSchema,
  PortalQuerySchema,
} from '../../schemas/portal.js';
import type { ApiDeps } from '../deps.js';
import { grantJson } from './credits.js';

/**
 * The customer portal: an admin makes a signed, expiring link for one customer (functions/app/portal-links.ts);
 * the portal routes take that link's token instead of an API key and show that customer, and only
 * that customer, its usage, upcoming invoice, invoices and credit notes (with PDFs), balance and a
 * pay-now page. Drafts are never shown; another customer's document is a 404, as one that does not exist.
 */

const route = routesFor<ApiDeps>();

/** Portal answers: never cached, and the token (in the query of PDF links) never leaves as a Referer. */
const PORTAL_HEADERS = { 'referrer-policy': 'no-referrer' };

const portalJson = (statusCode: number, body: unknown) => json(statusCode, body, PORTAL_HEADERS);

const linkInvalid = (message: string) =>
  new HttpError(401, 'portal_link_invalid', message, undefined, { headers: { 'www-authenticate': 'Bearer' } });

/** The portal's address (the dashboard's), from BILLING_PORTAL_URL. */
function portalPage(deps: ApiDeps): string | undefined {
  return deps.config.portalUrl ? `${deps.config.portalUrl}/portal.html` : undefined;
}

/** The customer a portal request may see: its token checked (header first, then ?token=), its customer read. */
async function portalCustomer(
  request: ApiRequest<unknown, { token?: string }>,
  deps: ApiDeps,
): Promise<{ customer: Customer; claims: PortalClaims }> {
  const header = request.headers.authorization;
  let token = request.query.token;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw linkInvalid('the Authorization header must be "Bearer <portal link token>"');
    token = match[1];
  }
  if (!token) throw linkInvalid('missing portal link: send "Authorization: Bearer <token>" or ?token=');
  const secret = deps.config.portalSecret;
  if (!secret) throw linkInvalid('the portal link is not valid (portal links are not configured)');
  const check = verifyPortalToken(secret, token, deps.clock());
  if (!check.ok) {
    if (check.reason === 'expired')
      throw new HttpError(401, 'portal_link_expired', check.message, undefined, {
        headers: { 'www-authenticate': 'Bearer' },
      });
    throw linkInvalid(check.message);
  }
  try {
    return { customer: await deps.customers.get(check.claims.customerId), claims: check.claims };
  } catch (error) {
    if (error instanceof NotFoundError) throw linkInvalid('the portal link is not valid');
    throw error;
  }
}

/** One of the customer's own invoices that the portal shows (not a draft); anything else is "not found". */
async function portalInvoice(deps: ApiDeps, customer: Customer, id: string): Promise<Invoice> {
  const invoice = await deps.invoices.find(id);
  if (!invoice || invoice.customerId !== customer.id || invoice.status === 'draft')
    throw new HttpError(404, 'not_found', `no invoice '${id}'`);
  return invoice;
}

async function portalCreditNote(deps: ApiDeps, customer: Customer, id: string): Promise<CreditNote> {
  const note = await deps.creditNotes.find(id);
  if (!note || note.customerId !== customer.id) throw new HttpError(404, 'not_found', `no credit note '${id}'`);
  return note;
}

function invoiceView(invoice: Invoice) {
  const totals = invoiceTotalsOf(invoice);
  const money = (value: Decimal) => formatAmount(value, invoice.currency);
  const instructions = invoice.paymentInstructions;
  const text = instructions ? paymentInstructionsText(invoice) : undefined;
  return {
    id: invoice.id,
    number: invoice.number,
    status: invoice.status as 'finalized' | 'paid' | 'void',
    payment_status: paymentStatusOf(invoice),
    currency: invoice.currency,
    issue_date: invoice.issueDate,
    due_date: invoice.dueDate,
    period_start: invoice.periodStart,
    period_end: invoice.periodEnd,
    subtotal: totals.subtotal,
    tax: totals.tax,
    total: totals.total,
    amount_due: totals.amountDue,
    amount_paid: money(amountPaidOf(invoice)),
    amount_remaining: money(amountRemainingOf(invoice)),
    ...(invoice.creditedTotal ? { credited_total: invoice.creditedTotal } : {}),
    ...(instructions
      ? {
          payment_instructions: {
            ...(instructions.accountHolder ? { account_holder: instructions.accountHolder } : {}),
            ...(instructions.iban ? { iban: instructions.iban } : {}),
            ...(instructions.bic ? { bic: instructions.bic } : {}),
            ...(text ? { text } : {}),
          },
        }
      : {}),
    pdf: `/v1/portal/invoices/${encodeURIComponent(invoice.id)}/pdf`,
    einvoice: `/v1/portal/invoices/${encodeURIComponent(invoice.id)}/einvoice`,
  };
}

function creditNoteView(note: CreditNote) {
  return {
    id: note.id,
    number: note.number,
    invoice_number: note.invoiceNumber,
    currency: note.currency,
    issue_date: note.issueDate,
    reason: note.reason,
    method: note.method,
    subtotal: note.subtotal,
    tax: note.tax,
    total: note.total,
    pdf: `/v1/portal/credit-notes/${encodeURIComponent(note.id)}/pdf`,
  };
}

function documentOf(document: RenderedDocument): ApiResponse {
  return documentResponse(document, PORTAL_HEADERS);
}

/** The prepaid and promotional credits in effect, as GET /v1/customers/{id}/credits sums them. */
async function creditsOf(deps: ApiDeps, customer: Customer) {
  const now = deps.clock();
  const [grants, uses] = await Promise.all([deps.credits.grants(customer.id), deps.credits.grantUses(customer.id)]);
  const inEffect = grants
    .map((grant) =>
      grantJson(
        grant,
        uses.filter((use) => use.grantId === grant.id),
        now,
      ),
    )
    .filter((grant) => grant.status === 'active' && grant.currency === customer.currency);
  const balanceOf = (category?: string) =>
    formatAmount(
      sum(inEffect.filter((g) => !category || g.category === category).map((g) => new Decimal(g.balance))),
      customer.currency,
    );
  return {
    currency: customer.currency,
    balance: balanceOf(),
    paid_balance: balanceOf('paid'),
    promotional_balance: balanceOf('promotional'),
  };
}

/** The current period rated live, as GET /v1/customers/{id}/upcoming-invoice rates it; null without an active subscription. */
async function upcomingOf(deps: ApiDeps, customer: Customer) {
  const active = (await deps.subscriptions.byCustomer(customer.id)).find((s) => s.status === 'active');
  if (!active) return null;
  const { plan, rated, segment, until } = await upcomingInvoice(deps, active);
  return {
    plan: plan.key,
    currency: plan.currency,
    period_start: segment.start.toISOString(),
    period_end: segment.end.toISOString(),
    usage_through: until.toISOString(),
    lines: rated.lines.map((line) => ({
      kind: line.kind,
      description: line.description,
      ...(line.meter ? { meter: line.meter } : {}),
      quantity: line.quantity,
      ...(line.unitPrice ? { unit_price: line.unitPrice } : {}),
      amount: line.amount,
    })),
    subtotal: rated.subtotal,
    discount_total: rated.discountTotal,
    tax: rated.tax,
    total: rated.total,
    credits_applied: rated.creditsApplied,
    amount_due: rated.amountDue,
  };
}

/** What the open invoices still owe, per currency (drafts and void invoices owe nothing). */
function amountOwed(invoices: Invoice[]) {
  const owed = new Map<string, Decimal>();
  for (const invoice of invoices)
    owed.set(invoice.currency, (owed.get(invoice.currency) ?? ZERO).plus(amountRemainingOf(invoice)));
  return [...owed.entries()]
    .filter(([, amount]) => amount.gt(0))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ currency, amount: formatAmount(amount, currency) }));
}

export function portalRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'POST',
      path: '/v1/customers/{id}/portal-links',
      access: 'admin',
      summary:
        'A signed link to the customer portal that expires (default 60 minutes, at most 7 days); refused with 409 portal_not_configured without BILLING_PORTAL_SECRET and BILLING_PORTAL_URL',
      body: CreatePortalLinkSchema,
      response: { status: 201, description: 'the link', schema: PortalLinkResponseSchema },
      handle: async ({ params, body }, deps) => {
        const customer = await deps.customers.get(params.id);
        const secret = deps.config.portalSecret;
        const page = portalPage(deps);
        if (!secret || !page)
          throw new HttpError(
            409,
            'portal_not_configured',
            `portal links need ${[!secret ? 'BILLING_PORTAL_SECRET (at least 32 characters)' : '', !page ? 'BILLING_PORTAL_URL (the dashboard’s address)' : ''].filter(Boolean).join(' and ')} to be set`,
          );
        const minutes = body.expires_in_minutes ?? DEFAULT_PORTAL_LINK_MINUTES;
        // Whole seconds, as the token carries them.
        const expiresAt = new Date(Math.floor((deps.clock().getTime() + minutes * 60_000) / 1000) * 1000);
        const claims = { customerId: customer.id, expiresAt, linkId: newPortalLinkId() };
        const token = signPortalToken(secret, claims);
        return json(201, {
          id: claims.linkId,
          customer: customer.id,
          url: `${page}#${token}`,
          token,
          expires_at: expiresAt.toISOString(),
        });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/portal',
      access: 'public',
      summary:
        'Customer portal (portal link token, no API key): the customer, its balance and credits, live usage, the upcoming invoice and what it owes',
      query: PortalQuerySchema,
      response: { status: 200, description: 'the portal overview', schema: PortalOverviewSchema },
      handle: async (request, deps) => {
        const { customer, claims } = await portalCustomer(request, deps);
        const [balances, credits, upcoming, invoices] = await Promise.all([
          deps.creditNotes.balances(customer.id),
          creditsOf(deps, customer),
          upcomingOf(deps, customer),
          deps.invoices.byCustomer(customer.id),
        ]);
        return portalJson(200, {
          customer: {
            id: customer.id,
            name: customer.name,
            email: customer.email,
            currency: customer.currency,
            timezone: customer.timezone,
            locale: customer.locale,
          },
          link: { expires_at: claims.expiresAt.toISOString() },
          seller: {
            name: deps.config.seller.name,
            ...(deps.config.seller.email ? { email: deps.config.seller.email } : {}),
          },
          balances: balances.map((balance) => ({ currency: balance.currency, amount: balance.amount })),
          credits,
          amount_owed: amountOwed(invoices),
          usage: (upcoming?.lines ?? []).flatMap((line) =>
            line.kind === 'usage' && line.meter
              ? [{ meter: line.meter, description: line.description, quantity: line.quantity, amount: line.amount }]
              : [],
          ),
          upcoming_invoice: upcoming,
          payments: { online: deps.payments !== undefined },
        });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/portal/invoices',
      access: 'public',
      summary: "Customer portal (portal link token): the customer's invoices, newest first (no drafts)",
      query: PortalQuerySchema,
      response: { status: 200, description: 'the invoices', schema: PortalInvoiceListSchema },
      handle: async (request, deps) => {
        const { customer } = await portalCustomer(request, deps);
        const invoices = await deps.invoices.byCustomer(customer.id);
        return portalJson(200, { data: invoices.filter((i) => i.status !== 'draft').map(invoiceView) });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/portal/invoices/{id}/pdf',
      access: 'public',
      summary: 'Customer portal (portal link token, also as ?token=): one of its invoices as PDF',
      query: PortalQuerySchema,
      response: { status: 200, description: 'the PDF', mediaType: 'application/pdf' },
      handle: async (request, deps) => {
        const { customer } = await portalCustomer(request, deps);
        const invoice = await portalInvoice(deps, customer, request.params.id);
        return documentOf(await deps.documents.render({ kind: 'invoice', invoice }, 'pdf'));
      },
    }),
    route({
      method: 'GET',
      path: '/v1/portal/invoices/{id}/einvoice',
      access: 'public',
      summary:
        'Customer portal (portal link token, also as ?token=): one of its invoices as an e-invoice (?format=xrechnung-ubl|xrechnung-cii|zugferd)',
      query: PortalEInvoiceQuerySchema,
      response: { status: 200, description: E_INVOICE_RESPONSE, mediaType: 'application/xml' },
      handle: async (request, deps) => {
        const { customer } = await portalCustomer(request, deps);
        const invoice = await portalInvoice(deps, customer, request.params.id);
        const format = await eInvoiceFormatFor({ get: async () => customer }, customer.id, request.query.format);
        return documentOf(await deps.documents.render({ kind: 'invoice', invoice }, format));
      },
    }),
    route({
      method: 'POST',
      path: '/v1/portal/invoices/{id}/pay',
      access: 'public',
      summary:
        'Customer portal (portal link token): a hosted payment page for what the invoice still owes (409 payments_not_configured: pay by bank transfer; 409 invoice_not_payable: nothing owed; 409 payment_processing: a payment is on its way)',
      query: PortalQuerySchema,
      response: { status: 200, description: 'the payment page', schema: PortalPaymentSchema },
      handle: async (request, deps) => {
        const { customer } = await portalCustomer(request, deps);
        const invoice = await portalInvoice(deps, customer, request.params.id);
        const remaining = amountRemainingOf(invoice);
        if (remaining.lte(0))
          throw new HttpError(
            409,
            'invoice_not_payable',
            `invoice ${invoice.number} owes nothing (it is ${invoice.status})`,
          );
        if (paymentStatusOf(invoice) === 'processing')
          throw new HttpError(
            409,
            'payment_processing',
            `a payment of invoice ${invoice.number} is being processed; check again later`,
          );
        if (!deps.payments)
          throw new HttpError(
            409,
            'payments_not_configured',
            'online payment is not available: pay by bank transfer as the invoice says',
          );
        const amount = formatAmount(remaining, invoice.currency);
        const page = portalPage(deps);
        const checkout = await deps.payments.checkout({
          invoiceId: invoice.id,
          invoiceNumber: invoice.number,
          ...(customer.paymentProviderId ? { providerCustomerId: customer.paymentProviderId } : {}),
          amount,
          currency: invoice.currency,
          description: `Invoice ${invoice.number}`,
          // Back to the portal; the token is not in this address (it stays in the customer's browser tab).
          ...(page ? { returnUrl: `${page}?paid=${encodeURIComponent(invoice.number)}` } : {}),
        });
        return portalJson(200, {
          url: checkout.url,
          expires_at: checkout.expiresAt,
          amount,
          currency: invoice.currency,
        });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/portal/credit-notes',
      access: 'public',
      summary: "Customer portal (portal link token): the customer's credit notes, newest first",
      query: PortalQuerySchema,
      response: { status: 200, description: 'the credit notes', schema: PortalCreditNoteListSchema },
      handle: async (request, deps) => {
        const { customer } = await portalCustomer(request, deps);
        const notes = await deps.creditNotes.byCustomer(customer.id);
        return portalJson(200, { data: notes.map(creditNoteView) });
      },
    }),
    route({
      method: 'GET',
      path: '/v1/portal/credit-notes/{id}/pdf',
      access: 'public',
      summary: 'Customer portal (portal link token, also as ?token=): one of its credit notes as PDF',
      query: PortalQuerySchema,
      response: { status: 200, description: 'the PDF', mediaType: 'application/pdf' },
      handle: async (request, deps) => {
        const { customer } = await portalCustomer(request, deps);
        const note = await portalCreditNote(deps, customer, request.params.id);
        return documentOf(await deps.documents.render({ kind: 'credit_note', note }, 'pdf'));
      },
    }),
  ];
}
