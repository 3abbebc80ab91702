/**
 * CSV as spreadsheets read it safely: RFC 4180 (CRLF line ends; a field holding a comma, quote or line
 * break is quoted, its quotes doubled) plus the OWASP CSV injection rule. Every CSV this stack writes
 * goes through `toCsv`.
 */

/** A column: its header, and whether it holds numbers (`numeric`), which stay as they are. */
export interface CsvColumn {
  readonly name: string;
  readonly numeric?: boolean;
}

export type CsvValue = string | number | undefined;

/** A cell a spreadsheet would run as a formula (OWASP): it starts with =, +, -, @, tab or carriage return. */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
/** What a numeric column may hold and still be written as it is: a plain decimal number, sign and all. */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

/**
 * One field. A text cell that a spreadsheet would read as a formula is neutralised as OWASP says: prefixed
 * with a single quote and quoted (`-1+cmd|' /C calc'!A0` becomes `"'-1+cmd|' /C calc'!A0"`). In a numeric
 * column a plain decimal (`-12.50`) stays a number; anything else there is treated as text.
 */
export function csvField(value: CsvValue, numeric = false): string {
  const text = value === undefined ? '' : String(value);
  if (numeric && PLAIN_DECIMAL.test(text)) return text;
  if (FORMULA_TRIGGER.test(text)) return quoted(`'${text}`);
  return NEEDS_QUOTES.test(text) ? quoted(text) : text;
}

/** A whole CSV document: the header row (neutralised like any text), then one row per record. */
export function toCsv(columns: readonly CsvColumn[], rows: ReadonlyArray<ReadonlyArray<CsvValue>>): string {
  const lines = [
    columns.map((column) => csvField(column.name)).join(','),
    ...rows.map((row) => columns.map((column, i) => csvField(row[i], column.numeric)).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
