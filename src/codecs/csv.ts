/**
 * RFC 4180 CSV: one writer and one reader for every CSV the project reads or
 * writes. Every cell written goes through csvCell, which also keeps a
 * spreadsheet from running what a caller wrote (CSV formula injection).
 */

/**
 * A plain decimal number as the project writes one (decimal.js and JavaScript
 * both): an optional sign, digits with an optional fraction, an optional
 * exponent — "-0.5", "+1e-3", "-37", "1.5E+21". Nothing else is a number here:
 * not "-.5", "1.", "-Infinity", "-1,5", "- 1", "0x1F" or "-1+2".
 */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * What opens a formula in a spreadsheet (Excel, LibreOffice, Google Sheets):
 * = + - @, a tab or a carriage return at the start of the cell (OWASP, CSV
 * Injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell. A text a spreadsheet would take for a formula (it starts with
 * = + - @, tab or CR and is not a plain number) is neutralised as OWASP
 * advises: a single quote before it, and the cell quoted, so that it is shown
 * as the text it is ("=HYPERLINK(…)" becomes "'=HYPERLINK(…)"). A plain
 * number ("-0.5", "+1e-3") stays a number. Cells holding a quote, comma or
 * line break are quoted (RFC 4180).
 */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  let quote = /[",\r\n]/.test(s);
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) {
    s = `'${s}`;
    quote = true;
  }
  return quote ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (without its line break). */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',');
}

/** A whole CSV document with a header, CRLF line breaks and a final line break. */
export function csvTable(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const out = [csvLine(header)];
  for (const row of rows) out.push(csvLine(row));
  return out.join('\r\n') + '\r\n';
}

/** The language of a CSV's header row: English field names, or the Chinese terms people's registers use. */
export type CsvLang = 'en' | 'zh';

/** Columns named in both languages: [English field name, Chinese term]. */
export type CsvColumns = ReadonlyArray<readonly [string, string]>;

/**
 * A CSV with its header row in the language asked for. Downloaded over HTTP
 * it starts with a UTF-8 byte-order mark (`bom`), without which Excel reads
 * UTF-8 as the local code page and garbles every Chinese cell; written for a
 * pipeline (the CLI's stdout) it does not, since a program would read the mark
 * as part of the first column's name. parseCsv skips the mark.
 */
export function spreadsheetCsv(
  columns: CsvColumns,
  rows: Iterable<readonly unknown[]>,
  opts: { readonly lang?: CsvLang; readonly bom?: boolean } = {},
): string {
  const table = csvTable(
    columns.map(([en, zh]) => (opts.lang === 'zh' ? zh : en)),
    rows,
  );
  return opts.bom ? `\uFEFF${table}` : table;
}

/**
 * Parses RFC 4180 text (quoted fields may hold commas, quotes and line breaks)
 * into rows of cells. A final line break does not make an empty row.
 * @throws Error with the line number when a quoted field is not closed
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      startLine = line;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      line++;
    } else field += c;
  }
  if (quoted) throw new Error(`line ${startLine}: a quoted field is not closed`);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows as records keyed by the header row. */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
