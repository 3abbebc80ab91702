import {
  type AccountMapping,
  datevFile,
  fiscalYearBegin,
  type JournalEntry,
  journalEntries,
  journalRows,
} from '../../domain/accounting.js';
import { type CsvColumn, toCsv } from '../../domain/csv.js';
import { Decimal } from '../../domain/decimal.js';
import { formatAmount } from '../../domain/money.js';
import { HttpError, ValidationFailedError } from '../../http/errors.js';
import { json } from '../../http/respond.js';
import { type Route, routesFor } from '../../http/router.js';
import { DatevExportQuerySchema, JournalExportQuerySchema, JournalSchema } from '../../schemas/accounting.js';
import type { ApiDeps } from '../deps.js';
import { csvResponse } from './csv.js';

const route = routesFor<ApiDeps>();
const DAY_MS = 86_400_000;
/**
 * Payments are booked on the day they were received, which may be long after their invoice was issued:
 * the export reads the invoices issued up to this many days before `from` for their payments.
 */
export const PAYMENT_LOOKBACK_DAYS = 400;
/** Local dates differ from UTC by at most 14 hours: read a day more on each side, then keep the documents by local date. */
const ZONE_MARGIN_MS = 2 * DAY_MS;

async function journalOf(deps: ApiDeps, from: string, to: string): Promise<JournalEntry[]> {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
  const [invoices, creditNotes] = await Promise.all([
    deps.revenue.invoicesIssued(
      new Date(start - PAYMENT_LOOKBACK_DAYS * DAY_MS - ZONE_MARGIN_MS),
      new Date(end + ZONE_MARGIN_MS),
    ),
    deps.creditNotes.issuedBetween(new Date(start - ZONE_MARGIN_MS), new Date(end + ZONE_MARGIN_MS)),
  ]);
  return journalEntries({ invoices, creditNotes, mapping: deps.config.accounting.accounts, from, to });
}

const JOURNAL_CSV_COLUMNS: readonly CsvColumn[] = Object.freeze([
  { name: 'date' },
  { name: 'document_type' },
  { name: 'number' },
  { name: 'reference' },
  { name: 'customer_id' },
  { name: 'customer_name' },
  { name: 'account' },
  { name: 'contra_account' },
  { name: 'debit', numeric: true },
  { name: 'credit', numeric: true },
  { name: 'currency' },
  { name: 'tax_rate', numeric: true },
  { name: 'text' },
]);

function journalJson(entries: readonly JournalEntry[], from: string, to: string) {
  const rows = journalRows(entries);
  const totals = new Map<string, { debit: Decimal; credit: Decimal }>();
  for (const row of rows) {
    const total = totals.get(row.currency) ?? { debit: new Decimal(0), credit: new Decimal(0) };
    totals.set(row.currency, {
      debit: total.debit.plus(row.debit || 0),
      credit: total.credit.plus(row.credit || 0),
    });
  }
  return {
    from,
    to,
    rows: rows.map((row) => ({
      date: row.date,
      document_type: row.documentType,
      number: row.number,
      reference: row.reference,
      customer_id: row.customerId,
      customer_name: row.customerName,
      account: row.account,
      contra_account: row.contraAccount,
      debit: row.debit,
      credit: row.credit,
      currency: row.currency,
      tax_rate: row.taxRate,
      text: row.text,
    })),
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, total]) => ({
        currency,
        debit: formatAmount(total.debit, currency),
        credit: formatAmount(total.credit, currency),
      })),
  };
}

/** Accounting exports (admin): the DATEV Buchungsstapel and the plain journal (docs/accounting.md). */
export function accountingRoutes(): Route<ApiDeps>[] {
  return [
    route({
      method: 'GET',
      path: '/v1/exports/datev',
      access: 'admin',
      summary:
        'DATEV Buchungsstapel (EXTF 700, category 21) of the invoices and credit notes issued and the payments and refunds received in [from, to] (local dates, at most 366 days, within one fiscal year); semicolon CSV, UTF-8',
      query: DatevExportQuerySchema,
      response: { status: 200, description: 'EXTF CSV (semicolons, decimal comma)', mediaType: 'text/csv' },
      handle: async (request, deps) => {
        const { from, to } = request.query;
        const { datev, accounts } = deps.config.accounting;
        if (datev.consultantNumber === undefined || datev.clientNumber === undefined)
          throw new HttpError(
            409,
            'not_configured',
            'the DATEV export needs BILLING_DATEV_CONSULTANT_NUMBER and BILLING_DATEV_CLIENT_NUMBER (Beraternummer, Mandantennummer)',
          );
        if (fiscalYearBegin(from, datev.fiscalYearStart) !== fiscalYearBegin(to, datev.fiscalYearStart))
          throw new ValidationFailedError([
            {
              path: '?/to',
              message: `a DATEV batch lies within one fiscal year: ${from} and ${to} are in different fiscal years (starting ${datev.fiscalYearStart})`,
            },
          ]);
        const entries = await journalOf(deps, from, to);
        const settings = { ...datev, consultantNumber: datev.consultantNumber, clientNumber: datev.clientNumber };
        return csvResponse(
          datevFile(entries, settings, accounts satisfies AccountMapping, { from, to }, deps.clock()),
          `EXTF_Buchungsstapel_${from}_${to}.csv`,
        );
      },
    }),
    route({
      method: 'GET',
      path: '/v1/exports/journal',
      access: 'admin',
      summary:
        'The double-entry journal of [from, to] (local dates, at most 366 days): invoices, credit notes, payments, refunds; JSON, or CSV with format=csv',
      query: JournalExportQuerySchema,
      response: { status: 200, description: 'the journal (CSV with format=csv)', schema: JournalSchema },
      handle: async (request, deps) => {
        const { from, to, format } = request.query;
        const body = journalJson(await journalOf(deps, from, to), from, to);
        if (format === 'csv')
          return csvResponse(
            toCsv(
              JOURNAL_CSV_COLUMNS,
              body.rows.map((row) => [
                row.date,
                row.document_type,
                row.number,
                row.reference,
                row.customer_id,
                row.customer_name,
                row.account,
                row.contra_account,
                row.debit,
                row.credit,
                row.currency,
                row.tax_rate,
                row.text,
              ]),
            ),
            `journal_${from}_${to}.csv`,
          );
        return json(200, body);
      },
    }),
  ];
}
