/** An import job on the wire (progress, every count, problems only on demand) and its CSV report in English or Chinese. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { importReportCsv, writeImportJob } from '../../src/codecs/import-report.ts';
import type { ImportJob } from '../../src/core/imports.ts';

const job = (over: Partial<ImportJob> = {}): ImportJob => ({
  id: 'job-1',
  kind: 'equipment',
  format: 'csv',
  fileName: 'scales.csv',
  fileSha256: 'ab'.repeat(32),
  dryRun: false,
  mode: 'valid-rows',
  status: 'completed',
  organisationId: 'city-market',
  keyId: 'k-1',
  totalRows: 4,
  processedRows: 3,
  counts: { created: 1, error: 1 } as ImportJob['counts'],
  fileProblems: [],
  rows: [
    { row: 2, status: 'created', id: 'scale-1', problems: [] },
    {
      row: 3,
      status: 'error',
      id: null,
      problems: [
        { row: 3, column: '量程上限', field: '/range/max', code: 'INVALID_DECIMAL', message: 'not a decimal' },
        { row: 3, column: null, field: '/ownerId', code: 'MISSING_FIELD', message: "'ownerId' is required" },
      ],
    },
  ],
  error: null,
  createdAt: '2026-11-25T02:00:00.000Z',
  finishedAt: '2026-11-25T02:00:01.000Z',
  ...over,
});

const wire = suite('import job');

wire('progress is processed over total; an empty file is 0 while running and 1 after', () => {
  assert.is(writeImportJob(job()).progress, 0.75);
  assert.is(writeImportJob(job({ totalRows: 0, processedRows: 0, status: 'running' })).progress, 0);
  assert.is(writeImportJob(job({ totalRows: 0, processedRows: 0, status: 'failed' })).progress, 1);
});

wire('every status is counted, 0 for one the stored job lacks; the key id is not written', () => {
  const w = writeImportJob(job());
  assert.equal(w.counts, { created: 1, amended: 0, unchanged: 0, valid: 0, conflict: 0, error: 1, not_imported: 0 });
  assert.not.ok('keyId' in w);
  assert.is(w.fileSha256, 'ab'.repeat(32));
});

wire('onlyProblems keeps the rows with problems', () => {
  assert.equal(writeImportJob(job()).rows.length, 2);
  assert.equal(
    writeImportJob(job(), { onlyProblems: true }).rows.map((r) => r.row),
    [3],
  );
});

const csv = suite('import report CSV');

csv('one line per problem and one per clean row, with a BOM and CRLF, in English', () => {
  const text = importReportCsv(job({ fileProblems: [{ row: 1, column: 'colour', field: '', code: 'UNKNOWN_FIELD', message: 'unknown column' }] }), 'en');
  assert.ok(text.startsWith('\uFEFF'));
  assert.equal(text.slice(1).split('\r\n'), [
    'row,status,equipment id,column,code,problem',
    '1,error,,colour,UNKNOWN_FIELD,unknown column',
    '2,created,scale-1,,,',
    '3,error,,量程上限,INVALID_DECIMAL,not a decimal',
    "3,error,,,MISSING_FIELD,'ownerId' is required",
    '',
  ]);
});

csv('in Chinese: headers and statuses, the id column named after the kind', () => {
  const lines = importReportCsv(job({ kind: 'records' }), 'zh')
    .slice(1)
    .split('\r\n');
  assert.is(lines[0], '行号,状态,记录ID,列,问题代码,说明');
  assert.is(lines[1], '2,已导入,scale-1,,,');
  assert.is(lines[2], '3,有误,,量程上限,INVALID_DECIMAL,not a decimal');
  assert.is(
    importReportCsv(job({ kind: 'cmcs', rows: [] }), 'en')
      .slice(1)
      .split('\r\n')[0],
    'row,status,CMC id,column,code,problem',
  );
});

wire.run();
csv.run();
