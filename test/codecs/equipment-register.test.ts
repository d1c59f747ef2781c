/**
 * The equipment register's columns (codecs/equipment-register.ts) and a CSV
 * file's encoding (codecs/text-table.ts): headers matched in either language
 * however a spreadsheet spells them, unknown and repeated columns reported, a
 * row turned into the API's JSON, a problem's pointer into its column; UTF-8
 * with and without BOM and GB18030 told apart.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { columnLetter, columnOfPointer, EQUIPMENT_COLUMNS, equipmentRowJson, headerKey, matchHeader } from '../../src/codecs/equipment-register.ts';
import { csvRows, decodeText } from '../../src/codecs/text-table.ts';
import { MetrologyError } from '../../src/core/errors.ts';

test('every column has distinct English and Chinese headers and a pointer into the equipment API', () => {
  const keys = EQUIPMENT_COLUMNS.flatMap((c) => [headerKey(c.en), headerKey(c.zh), ...(c.aliases ?? []).map(headerKey)]);
  assert.is(new Set(keys).size, keys.length, 'no header means two columns');
  for (const c of EQUIPMENT_COLUMNS) assert.is(columnOfPointer(c.pointer), c, c.key);
});

test('headers in either language, as spreadsheets spell them; unknown and repeated ones are problems', () => {
  const m = matchHeader(['器具编号', ' Asset code ', '型号 / 规格', 'range.min', 'RANGE MAX', '备注', '', '型式批准证书编号']);
  assert.equal(
    m.columns.map((c) => c?.key ?? null),
    ['assetCode', null, 'model', 'range.min', 'range.max', null, null, 'patternApprovalNo'],
  );
  assert.equal(
    m.problems.map((p) => [p.index, p.header, p.code]),
    [
      [1, 'Asset code', 'INVALID_FIELD'],
      [5, '备注', 'UNKNOWN_FIELD'],
    ],
  );
  assert.match(m.problems[0]!.message, /same field \(assetCode\) as column A/);
  assert.is(matchHeader(['计量器具名称', '被测量', 'Id']).lang, 'zh');
  assert.is(matchHeader(['Name', 'Quantity', '器具ID']).lang, 'en');
  assert.equal([columnLetter(0), columnLetter(25), columnLetter(26), columnLetter(701), columnLetter(702)], ['A', 'Z', 'AA', 'ZZ', 'AAA']);
});

test('a row becomes the API’s JSON: blanks left out, nested fields grouped, Chinese values mapped, the accuracy kind implied', () => {
  const col = (key: string) => EQUIPMENT_COLUMNS.find((c) => c.key === key)!;
  const cells = new Map([
    [col('name'), ' 电子秤 '],
    [col('serialNumber'), ''],
    [col('quantity'), '质量'],
    [col('range.max'), '30'],
    [col('range.unit'), 'kg'],
    [col('accuracy.mpe'), '5'],
    [col('accuracy.unit'), 'g'],
    [col('level'), '工作计量器具'],
    [col('usage'), '贸易结算'],
  ]);
  assert.equal(equipmentRowJson(cells, { ownerId: 'city-market' }), {
    name: '电子秤',
    quantity: 'mass',
    range: { max: '30', unit: 'kg' },
    accuracy: { mpe: '5', unit: 'g', kind: 'mpe' },
    level: 'working_instrument',
    usage: 'trade_settlement',
    ownerId: 'city-market',
  });
  // two accuracy figures and no kind: the kind is left for the codec to ask for
  const two = new Map([
    [col('accuracy.mpe'), '5'],
    [col('accuracy.accuracyClass'), 'III'],
  ]);
  assert.equal(equipmentRowJson(two), { accuracy: { mpe: '5', accuracyClass: 'III' } });
  // a value that is not a known Chinese name passes as written, for the codec to refuse
  assert.equal(equipmentRowJson(new Map([[col('level'), '工具']])), { level: '工具' });
});

test('a problem’s pointer names its column; a missing group its first column', () => {
  assert.is(columnOfPointer('/range/min')!.zh, '测量范围下限');
  assert.is(columnOfPointer('/range')!.key, 'range.unit');
  assert.is(columnOfPointer('/accuracy')!.key, 'accuracy.kind');
  assert.is(columnOfPointer('/assessment')!.key, 'assessment.certificateNo');
  assert.is(columnOfPointer(''), null);
});

test('UTF-8 with a BOM, without, and GB18030 when the bytes are not UTF-8', () => {
  const text = '计量器具名称,器具编号\r\n电子秤,SC-1\r\n';
  assert.equal(decodeText(Buffer.from('\uFEFF' + text, 'utf8')), { text, encoding: 'utf-8-bom' });
  assert.equal(decodeText(Buffer.from(text, 'utf8')), { text, encoding: 'utf-8' });
  // 电子秤 in GB18030 (GB2312 range): B5E7 D7D3 B3D3
  const gb = Uint8Array.from([0xb5, 0xe7, 0xd7, 0xd3, 0xb3, 0xd3, 0x2c, 0x31]);
  assert.equal(decodeText(gb), { text: '电子秤,1', encoding: 'gb18030' });
  assert.equal(csvRows(Buffer.from('\uFEFFa,b\r\n"x\r\ny",2\r\n', 'utf8')), [
    { number: 1, cells: ['a', 'b'] },
    { number: 2, cells: ['x\r\ny', '2'] },
  ]);
  try {
    csvRows(Buffer.from('a,"b\r\n', 'utf8'));
    assert.unreachable('an unclosed quote is refused');
  } catch (e) {
    assert.instance(e, MetrologyError);
    assert.equal([(e as MetrologyError).code, (e as MetrologyError).path], ['INVALID_FIELD', '/file']);
  }
});

test('docs/import.md lists every column with both headers, whether it is required and its example', () => {
  const doc = readFileSync('docs/import.md', 'utf8');
  for (const c of EQUIPMENT_COLUMNS) {
    const line = doc.split('\n').find((l) => l.startsWith(`| ${c.en} | ${c.zh}`));
    assert.ok(line, `docs/import.md has the row of ${c.en} / ${c.zh}`);
    assert.ok(line!.includes(`| ${c.required} |`) && (c.example === '' || line!.includes(`\`${c.example}\``)), `the row of ${c.en} says it as the columns do`);
  }
});

test.run();
