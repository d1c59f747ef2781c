/** The record register: its columns' headers and pointers, a certificate's rows as one record with a point per row, Chinese values mapped, a record back to cells. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readRecord } from '../../src/codecs/registry.ts';
import { hasPoint, RECORD_COLUMNS, RECORD_TABLE, recordCells, recordRowsJson, splitRecordCells } from '../../src/codecs/record-register.ts';
import { columnOfTablePointer, headerKey, matchTableHeader, type RegisterColumn } from '../../src/codecs/register-table.ts';

const column = (key: string) => RECORD_COLUMNS.find((c) => c.key === key)!;
const row = (cells: Record<string, string>) => new Map<RegisterColumn, string>(Object.entries(cells).map(([k, v]) => [column(k), v]));

const it = suite('record register');

it('every header means one column; every column has a pointer of its own', () => {
  const keys = RECORD_COLUMNS.flatMap((c) => [headerKey(c.en), headerKey(c.zh), ...(c.aliases ?? []).map(headerKey)]);
  assert.is(new Set(keys).size, keys.length);
  for (const c of RECORD_COLUMNS) assert.is(columnOfTablePointer(RECORD_TABLE, c.pointer), c, c.key);
  assert.is(columnOfTablePointer(RECORD_TABLE, '/subject')!.key, 'subject.assetCode');
  assert.is(columnOfTablePointer(RECORD_TABLE, '/points/3/nominal'), null);
  assert.is(columnOfTablePointer(RECORD_TABLE, '/point')!.key, 'point.nominal');
  assert.equal(
    matchTableHeader(RECORD_TABLE, ['证书号', '检定或校准', '检定员', '包含因子']).columns.map((c) => c?.key),
    ['certificateNo', 'kind', 'verifier', 'point.coverageFactor'],
  );
});

it("a row split into the record's cells and the point's; a point only when a point cell is filled", () => {
  const { record, point } = splitRecordCells(row({ certificateNo: 'JD-1', kind: '检定', 'point.nominal': '10', 'point.unit': 'kg' }));
  assert.equal(
    [...record.keys()].map((c) => c.key),
    ['certificateNo', 'kind'],
  );
  assert.equal(
    [...point.keys()].map((c) => c.key),
    ['point.nominal', 'point.unit'],
  );
  assert.ok(hasPoint(point));
  assert.not.ok(hasPoint(row({ 'point.nominal': ' ', 'point.unit': '' })));
  assert.not.ok(hasPoint(new Map()));
});

it("a certificate's rows: the record from the first, Chinese words mapped, lists split, one point per row", () => {
  const json = recordRowsJson(
    row({
      certificateNo: 'JD-1',
      kind: '检定',
      conformity: '不合格',
      verificationType: '修理后检定',
      certificateKind: '检定结果通知书',
      'subject.ownerId': 'market',
      'subject.assetCode': 'A-17',
      referenceIds: 'f1-set、f2-set',
    }),
    [row({ 'point.nominal': '10', 'point.asFound': '10.02', 'point.unit': 'kg' }), row({ 'point.nominal': '20' })],
  );
  assert.equal(json, {
    certificateNo: 'JD-1',
    kind: 'verification',
    conformity: 'fail',
    verificationType: 'after_repair',
    certificateKind: 'result_notice',
    subject: { ownerId: 'market', assetCode: 'A-17' },
    referenceIds: ['f1-set', 'f2-set'],
    points: [{ nominal: '10', asFound: '10.02', unit: 'kg' }, { nominal: '20' }],
  });
  assert.equal(recordRowsJson(row({ kind: '校准', conformity: '合格' }), []), { kind: 'calibration', conformity: 'pass' });
  assert.equal(recordRowsJson(row({ kind: '检定' }), [new Map()]), { kind: 'verification', points: [{}] });
});

it("a record back to its register's cells, without the point and subject columns", () => {
  const rec = readRecord(
    {
      id: 'r-1',
      kind: 'verification',
      subjectId: 'scale-1',
      labId: 'lab',
      referenceIds: ['f1', 'f2'],
      certificateNo: 'JD-1',
      performedOn: '2026-11-20',
      validUntil: '2027-11-19',
      conformity: 'pass',
      verifier: '陈静',
    },
    () => 'x',
  );
  const cells = recordCells(rec);
  assert.equal(
    [cells.id, cells.certificateNo, cells.kind, cells.subjectId, cells.referenceIds, cells.validUntil, cells.verifier, cells.checker],
    ['r-1', 'JD-1', 'verification', 'scale-1', 'f1; f2', '2027-11-19', '陈静', ''],
  );
  assert.not.ok('point.nominal' in cells);
  assert.not.ok('subject.ownerId' in cells);
  assert.is(cells.certificateKind, 'verification_certificate');
});

it.run();
