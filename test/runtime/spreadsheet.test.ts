/**
 * XLSX through exceljs (runtime/spreadsheet.ts): cells as the text a user sees
 * (numbers as written, dates as YYYY-MM-DD, rich text, formulas' results),
 * row numbers as the sheet shows them (blank rows skipped, not renumbered),
 * the first worksheet only; a file that is not a workbook is a problem of
 * the file; the templates read back as the header they are.
 */
import ExcelJS from 'exceljs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../src/core/errors.ts';
import { readTable, TEMPLATE_TABLES, templateCsv, templateXlsx, xlsxRows } from '../../src/runtime/spreadsheet.ts';
import { RECORD_COLUMNS } from '../../src/codecs/record-register.ts';
import { EQUIPMENT_COLUMNS } from '../../src/codecs/equipment-register.ts';

test('cells as text, rows numbered as in the sheet', async () => {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('first');
  sheet.addRow(['a', 'b', 'c', 'd', 'e']);
  sheet.addRow([]);
  sheet.getRow(3).values = [0.04, new Date(Date.UTC(2024, 11, 1)), { richText: [{ text: '电子' }, { text: '秤' }] }, { formula: '1+1', result: 2 }, '00123'];
  wb.addWorksheet('second').addRow(['ignored']);
  const rows = await xlsxRows(Buffer.from(await wb.xlsx.writeBuffer()));
  assert.equal(rows, [
    { number: 1, cells: ['a', 'b', 'c', 'd', 'e'] },
    { number: 3, cells: ['0.04', '2024-12-01', '电子秤', '2', '00123'] },
  ]);
});

test('a file that is not a workbook is a problem of the file', async () => {
  try {
    await readTable('xlsx', Buffer.from('名称,编号\n', 'utf8'));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, MetrologyError);
    assert.equal([(e as MetrologyError).code, (e as MetrologyError).path], ['INVALID_FIELD', '/file']);
  }
});

test('the templates: a header row in the language asked for, CSV with BOM, XLSX with a sheet of notes', async () => {
  const equipment = TEMPLATE_TABLES['equipment']!;
  const csv = templateCsv(equipment, 'zh');
  assert.ok(csv.startsWith('\uFEFF器具ID,使用单位ID,计量器具名称'));
  const rows = await readTable('xlsx', await templateXlsx(equipment, 'en'));
  assert.equal(rows, [{ number: 1, cells: EQUIPMENT_COLUMNS.map((c) => c.en) }]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await templateXlsx(equipment, 'zh')) as unknown as ExcelJS.Buffer);
  assert.equal(
    wb.worksheets.map((w) => w.name),
    ['计量器具', '说明'],
  );
  assert.is(wb.worksheets[1]!.rowCount, EQUIPMENT_COLUMNS.length + 1);
});

test("the records template: the certificate's columns, then one measured point's", async () => {
  const records = TEMPLATE_TABLES['records']!;
  assert.ok(templateCsv(records, 'zh').startsWith('\uFEFF记录ID,证书编号,检定或校准,器具ID'));
  const rows = await readTable('xlsx', await templateXlsx(records, 'zh'));
  assert.equal(rows, [{ number: 1, cells: RECORD_COLUMNS.map((c) => c.zh) }]);
  assert.is(rows[0]!.cells.at(-1), '单位');
});

test.run();
