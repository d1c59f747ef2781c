/** A register as a table, on a small table made here: headers however spreadsheets spell them, cells into the API's JSON, pointers to columns, wire objects back to cells. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  cellsJson,
  columnLetter,
  columnOfTablePointer,
  headerIn,
  headerKey,
  listItems,
  matchTableHeader,
  type RegisterColumn,
  type RegisterTable,
  wireCells,
} from '../../src/codecs/register-table.ts';

const col = (key: string, en: string, zh: string, pointer: string, extra: Partial<RegisterColumn> = {}): RegisterColumn => ({
  key,
  en,
  zh,
  pointer,
  required: 'no',
  example: '',
  note: '',
  ...extra,
});
const ID = col('id', 'Equipment ID', '器具ID', '/id', { aliases: ['编号'] });
const LEVEL = col('level', 'Level', '层级', '/level', { values: { 工作计量器具: 'working_instrument' } });
const MIN = col('range.min', 'Range min', '量程下限', '/range/min');
const MAX = col('range.max', 'Range max', '量程上限', '/range/max');
const REFS = col('referenceIds', 'Reference IDs', '计量标准', '/referenceIds', { list: true });
const TABLE: RegisterTable = { kind: 'things', columns: [ID, LEVEL, MIN, MAX, REFS], enclosing: { '/range': '/range/min' } };

const headers = suite('headers');

headers('headerKey: NFKC, lower case, no spaces, separators or brackets', () => {
  assert.is(headerKey(' Range_Min (kg) '), 'rangeminkg');
  assert.is(headerKey('量程下限（ｋｇ）'), '量程下限kg');
  assert.is(headerKey('range.min'), headerKey('RANGE-MIN'));
  assert.is(headerKey('【备注】：*'), '备注');
});

headers('every header a column once, in either language; unknown and repeated ones are problems', () => {
  const m = matchTableHeader(TABLE, ['器具ID', 'range min', ' 量程上限 ', '', 'colour', '编号', 'REFERENCE_IDS']);
  assert.equal(
    m.columns.map((c) => c?.key ?? null),
    ['id', 'range.min', 'range.max', null, null, null, 'referenceIds'],
  );
  assert.equal(
    m.problems.map((p) => [p.index, p.header, p.code]),
    [
      [4, 'colour', 'UNKNOWN_FIELD'],
      [5, '编号', 'INVALID_FIELD'],
    ],
  );
  assert.match(m.problems[0]!.message, 'GET /v1/imports/templates/things.csv');
  assert.match(m.problems[1]!.message, "column '编号' is the same field (id) as column A");
  // 器具ID, 量程上限 and the alias (repeated, but written in Chinese) against range min and REFERENCE_IDS
  assert.is(m.lang, 'zh');
  assert.is(matchTableHeader(TABLE, ['器具ID', '层级', 'Range max']).lang, 'zh');
  assert.is(matchTableHeader(TABLE, ['器具ID', 'Range max']).lang, 'en', 'a tie is English');
  assert.equal(matchTableHeader(TABLE, []), { columns: [], lang: 'en', problems: [] });
});

headers('column letters as a spreadsheet writes them', () => {
  assert.equal([0, 1, 25, 26, 27, 51, 52, 701, 702, 16383].map(columnLetter), ['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
});

const cells = suite('cells');

cells("a row as the API's JSON: blanks left out, dotted keys grouped, Chinese values mapped, lists split", () => {
  const json = cellsJson(
    new Map([
      [ID, ' scale-1 '],
      [LEVEL, '工作计量器具'],
      [MIN, '0'],
      [MAX, '   '],
      [REFS, 'std-1； std-2、std-3,\nstd-4;;'],
    ]),
  );
  assert.equal(json, { id: 'scale-1', level: 'working_instrument', range: { min: '0' }, referenceIds: ['std-1', 'std-2', 'std-3', 'std-4'] });
  assert.equal(cellsJson(new Map([[LEVEL, 'working_standard']])), { level: 'working_standard' });
  assert.equal(cellsJson(new Map([[MAX, '']])), {});
  assert.equal(listItems(' a ，b,, c\nd '), ['a', 'b', 'c', 'd']);
});

cells("a pointer names its column, or the enclosing object's column, or none", () => {
  assert.is(columnOfTablePointer(TABLE, '/range/max'), MAX);
  assert.is(columnOfTablePointer(TABLE, '/range'), MIN);
  assert.is(columnOfTablePointer(TABLE, '/referenceIds/2'), REFS);
  assert.is(columnOfTablePointer(TABLE, '/range/unit'), MIN);
  assert.is(columnOfTablePointer(TABLE, '/colour'), null);
  assert.is(columnOfTablePointer(TABLE, ''), null);
});

cells('a wire object back into cells: nested fields, lists joined, nothing as empty', () => {
  assert.equal(wireCells(TABLE, { id: 'scale-1', level: null, range: { min: '0', max: 30 }, referenceIds: ['a', 'b'] }), {
    id: 'scale-1',
    level: '',
    'range.min': '0',
    'range.max': '30',
    referenceIds: 'a; b',
  });
  assert.equal(wireCells(TABLE, { range: null }), { id: '', level: '', 'range.min': '', 'range.max': '', referenceIds: '' });
  assert.equal([headerIn(MIN, 'en'), headerIn(MIN, 'zh')], ['Range min', '量程下限']);
});

headers.run();
cells.run();
