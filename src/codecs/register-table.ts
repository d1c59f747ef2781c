/**
 * A register as a table — the spreadsheet a user already keeps (equipment,
 * historical records): its columns, each with an English and a Chinese
 * header, matched however a spreadsheet spells them; a row turned into the
 * JSON the API reads (so every rule stays the API's: this module only moves
 * cells into fields); and the column a problem's JSON pointer belongs to.
 * The registers themselves are equipment-register.ts and record-register.ts.
 */

export type Lang = 'en' | 'zh';

export interface RegisterColumn {
  /** The field's name in the report and the docs (the API's name, dotted for nested fields). */
  readonly key: string;
  readonly en: string;
  readonly zh: string;
  /** Other headers users write for the same column (compared as headers are). */
  readonly aliases?: readonly string[];
  /** The JSON pointer of the field in the API. */
  readonly pointer: string;
  readonly required: 'yes' | 'no' | 'see note';
  readonly example: string;
  readonly note: string;
  /** Chinese names accepted for an enumerated value, mapped to the API's value. */
  readonly values?: Readonly<Record<string, string>>;
  /** A list in one cell, its items separated by ; ； 、 , ， or line breaks. */
  readonly list?: boolean;
}

export interface RegisterTable {
  /** What a file of this table imports (the import's kind, the template's file name). */
  readonly kind: string;
  readonly columns: readonly RegisterColumn[];
  /** For an object field: the column a problem of the object as a whole is shown under. */
  readonly enclosing: Readonly<Record<string, string>>;
}

/** How headers are compared: NFKC, lower case, without spaces, underscores, hyphens, dots, slashes and brackets. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-./\\()（）[\]【】:：*]/g, '');
}

type HeaderIndex = ReadonlyMap<string, { column: RegisterColumn; lang: Lang }>;
const indexes = new WeakMap<RegisterTable, HeaderIndex>();

function headerIndex(table: RegisterTable): HeaderIndex {
  let index = indexes.get(table);
  if (!index) {
    index = new Map(
      table.columns.flatMap((c) => [
        [headerKey(c.key), { column: c, lang: 'en' as Lang }],
        [headerKey(c.en), { column: c, lang: 'en' as Lang }],
        [headerKey(c.zh), { column: c, lang: 'zh' as Lang }],
        ...(c.aliases ?? []).map((a) => [headerKey(a), { column: c, lang: 'zh' as Lang }] as const),
      ]),
    );
    indexes.set(table, index);
  }
  return index;
}

export interface HeaderProblem {
  readonly index: number;
  readonly header: string;
  readonly code: 'UNKNOWN_FIELD' | 'INVALID_FIELD';
  readonly message: string;
}

export interface HeaderMatch {
  /** For each cell of the header row, its column (null when unknown or empty). */
  readonly columns: ReadonlyArray<RegisterColumn | null>;
  /** The language most headers are written in (what a problem names an absent column in). */
  readonly lang: Lang;
  readonly problems: readonly HeaderProblem[];
}

/** Reads a header row: every cell a known column, written once; an unknown header is a problem (a typo must not drop a field). */
export function matchTableHeader(table: RegisterTable, cells: readonly string[]): HeaderMatch {
  const byHeader = headerIndex(table);
  const columns: Array<RegisterColumn | null> = [];
  const problems: HeaderProblem[] = [];
  const seen = new Map<string, number>();
  let zh = 0;
  let en = 0;
  cells.forEach((raw, index) => {
    const header = raw.trim();
    if (header === '') return void columns.push(null);
    const found = byHeader.get(headerKey(header));
    if (!found) {
      problems.push({
        index,
        header,
        code: 'UNKNOWN_FIELD',
        message: `unknown column '${header}'; rename it to one of the template's headers (English or Chinese, see GET /v1/imports/templates/${table.kind}.csv) or remove it`,
      });
      return void columns.push(null);
    }
    if (found.lang === 'zh') zh++;
    else en++;
    const before = seen.get(found.column.key);
    if (before !== undefined) {
      problems.push({
        index,
        header,
        code: 'INVALID_FIELD',
        message: `column '${header}' is the same field (${found.column.key}) as column ${columnLetter(before)}; keep one of them`,
      });
      return void columns.push(null);
    }
    seen.set(found.column.key, index);
    columns.push(found.column);
  });
  return { columns, lang: zh > en ? 'zh' : 'en', problems };
}

/** A spreadsheet's column letter for a 0-based index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The items of a list cell. */
export function listItems(text: string): string[] {
  return text
    .split(/[;；、,，\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * A row's cells as the API's JSON: a cell's text as the field's string
 * (blank cells left out), dotted keys grouped into objects, a Chinese
 * enumerated value mapped to the API's, a list cell split into its items.
 * Nothing is checked here: the codec and the use case the API calls check it.
 */
export function cellsJson(cells: ReadonlyMap<RegisterColumn, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const group = (name: string): Record<string, unknown> => (out[name] ??= {}) as Record<string, unknown>;
  for (const [column, text] of cells) {
    const value = text.trim();
    if (value === '') continue;
    const mapped = column.list ? listItems(value) : (column.values?.[value] ?? value);
    const [head, tail] = column.key.split('.') as [string, string | undefined];
    if (tail === undefined) out[head] = mapped;
    else group(head)[tail] = mapped;
  }
  return out;
}

/** The column a problem's JSON pointer belongs to: the field's own, else the nearest enclosing one's. */
export function columnOfTablePointer(table: RegisterTable, pointer: string): RegisterColumn | null {
  for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
    const exact = table.columns.find((c) => c.pointer === p);
    if (exact) return exact;
    const inside = table.enclosing[p];
    if (inside) return table.columns.find((c) => c.pointer === inside) ?? null;
  }
  return null;
}

/** A wire object flattened into the cells of a register row ('' for what it has not). */
export function wireCells(table: RegisterTable, wire: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of table.columns) {
    const [head, tail] = c.key.split('.') as [string, string | undefined];
    const v = tail === undefined ? wire[head] : (wire[head] as Record<string, unknown> | null | undefined)?.[tail];
    out[c.key] = v === null || v === undefined ? '' : Array.isArray(v) ? v.join('; ') : String(v);
  }
  return out;
}

/** The header of a column in a language. */
export const headerIn = (c: RegisterColumn, lang: Lang): string => (lang === 'zh' ? c.zh : c.en);
