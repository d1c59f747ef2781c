/**
 * Import jobs as stored (persistence/import-store.ts) on the shared test
 * database: a job reads back as written (its row reports compacted and
 * expanded again, problems kept, instants as ISO strings), progress moves
 * the counts alone, an update replaces the rest.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ImportCounts, ImportJob } from '../../src/core/imports.ts';
import { DrizzleImportStore } from '../../src/persistence/import-store.ts';
import { inRollback, testDatabases } from '../helpers/db.ts';

const counts = (over: Partial<ImportCounts> = {}): ImportCounts => ({
  created: 0,
  amended: 0,
  unchanged: 0,
  valid: 0,
  conflict: 0,
  error: 0,
  not_imported: 0,
  ...over,
});

const job = (over: Partial<ImportJob> = {}): ImportJob => ({
  id: 'job-1',
  kind: 'equipment',
  format: 'csv',
  fileName: '器具台账.csv',
  fileSha256: 'a'.repeat(64),
  dryRun: false,
  mode: 'valid-rows',
  status: 'running',
  organisationId: null,
  keyId: null,
  totalRows: 3,
  processedRows: 0,
  counts: counts(),
  fileProblems: [],
  rows: [],
  error: null,
  createdAt: '2026-11-25T02:00:00.000Z',
  finishedAt: null,
  ...over,
});

for (const database of testDatabases()) {
  const it = suite(`persistence/import-store on ${database.name}`);
  const withStore = (work: (store: DrizzleImportStore) => Promise<void>) => async () => {
    const { db } = await database.open();
    await inRollback(db, async (tx) => work(new DrizzleImportStore(tx)));
  };

  it(
    'a job reads back as written',
    withStore(async (store) => {
      await store.insertJob(job());
      assert.equal(await store.getJob('job-1'), job());
      assert.is(await store.getJob('nope'), undefined);
    }),
  );

  it(
    'progress moves the processed rows and counts only; an update writes the rest, row reports with and without problems',
    withStore(async (store) => {
      await store.insertJob(job());
      await store.updateProgress('job-1', 2, counts({ created: 1, error: 1 }));
      const progressed = (await store.getJob('job-1'))!;
      assert.equal([progressed.processedRows, progressed.counts, progressed.status], [2, counts({ created: 1, error: 1 }), 'running']);
      const problem = { row: 3, column: '准确度等级', field: '/accuracy/accuracyClass', code: 'INVALID_FIELD' as const, message: 'unknown class' };
      const done = job({
        status: 'completed',
        processedRows: 3,
        counts: counts({ created: 2, error: 1 }),
        rows: [
          { row: 2, status: 'created', id: 'scale-1', problems: [] },
          { row: 3, status: 'error', id: null, problems: [problem] },
          { row: 4, status: 'created', id: 'scale-2', problems: [] },
        ],
        finishedAt: '2026-11-25T02:00:05.000Z',
      });
      await store.updateJob(done);
      assert.equal(await store.getJob('job-1'), done);
    }),
  );

  it.run();
}
