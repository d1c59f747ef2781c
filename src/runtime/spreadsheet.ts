/**
 * Spreadsheet files for register imports (issue #21): a file's bytes as rows of
 * text cells (CSV through codecs/text-table.ts; XLSX through exceljs, a
 * maintained reader of the OOXML format), and the import templates as files.
 * Loaded only by what imports or serves templates (exceljs is large).
 * @impure parses files.
 */
import ExcelJS from 'exceljs';
import { fail } from '../core/errors.ts';
import { REGISTER_TABLES } from '../codecs/registers.ts';
import { headerIn, type Lang, type RegisterTable } from '../codecs/register-table.ts';
import { csvRows } from '../codecs/text-table.ts';
import { spreadsheetCsv } from '../codecs/csv.ts';

export interface SheetRow {
  readonly number: number;
  readonly cells: string[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A cell's value as the text a user sees in it: numbers as written, a date as YYYY-MM-DD, rich text joined, a formula's result. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return `${pad(v.getUTCFullYear(), 4)}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) return typeof v.text === 'string' ? v.text : cellText(v.text as ExcelJS.CellValue);
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

/** The first worksheet of an XLSX file as rows (their numbers as the sheet shows them). */
export async function xlsxRows(bytes: Uint8Array): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (e) {
    fail('INVALID_FIELD', '/file', `the file is not an XLSX workbook (Excel 2007 or later): ${(e as Error).message}; save it as .xlsx or as CSV`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) fail('INVALID_FIELD', '/file', 'the workbook has no worksheet');
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellText(values[c] ?? null));
    rows.push({ number: row.number, cells });
  });
  return rows;
}

export async function readTable(format: 'csv' | 'xlsx', bytes: Uint8Array): Promise<SheetRow[]> {
  return format === 'csv' ? csvRows(bytes) : xlsxRows(bytes);
}

/** The registers a template is offered for, by the template's file name (equipment.csv, records.xlsx). */
export const TEMPLATE_TABLES: Readonly<Record<string, RegisterTable>> = REGISTER_TABLES;
const SHEET_NAMES: Readonly<Record<string, { en: string; zh: string }>> = {
  equipment: { en: 'equipment', zh: '计量器具' },
  records: { en: 'records', zh: '检定校准记录' },
  scopes: { en: 'scopes', zh: '授权项目' },
  cmcs: { en: 'cmcs', zh: '校准测量能力' },
};

/** A register's template as CSV: the header row, UTF-8 with a byte-order mark so that Excel reads Chinese. */
export function templateCsv(table: RegisterTable, lang: Lang): string {
  return spreadsheetCsv(
    table.columns.map((c) => [c.en, c.zh] as const),
    [],
    { lang, bom: true },
  );
}

/** A register's template as XLSX: the header row on the first sheet, and a second sheet saying what each column takes. */
export async function templateXlsx(table: RegisterTable, lang: Lang): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'metrotrace';
  const sheet = workbook.addWorksheet(SHEET_NAMES[table.kind]?.[lang] ?? table.kind);
  sheet.addRow(table.columns.map((c) => headerIn(c, lang)));
  sheet.getRow(1).font = { bold: true };
  table.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.max(12, headerIn(c, lang).length * (lang === 'zh' ? 2.2 : 1.2));
    column.numFmt = '@'; // text: asset codes and serial numbers keep their leading zeros
  });
  const notes = workbook.addWorksheet(lang === 'zh' ? '说明' : 'columns');
  notes.addRow(lang === 'zh' ? ['列', '英文列名', '必填', '示例', '说明'] : ['column', 'Chinese header', 'required', 'example', 'note']);
  notes.getRow(1).font = { bold: true };
  for (const c of table.columns) notes.addRow([headerIn(c, lang), headerIn(c, lang === 'zh' ? 'en' : 'zh'), c.required, c.example, c.note]);
  notes.getColumn(5).width = 80;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
