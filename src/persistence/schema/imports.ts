/**
 * Import jobs (issue #21): one row per register import, dry run or commit,
 * with its counts and per-row report. Not append-only and not ledgered: a
 * job's progress is updated as its batches commit; what it registered is
 * ledgered as any registration is.
 */
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { IMPORT_FORMATS, IMPORT_KINDS, IMPORT_MODES, JOB_STATUSES } from '../../core/imports.ts';
import { createdAt, inList } from './columns.ts';

export const importJobs = pgTable(
  'import_jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    format: text('format').notNull(),
    fileName: text('file_name'),
    fileSha256: text('file_sha256').notNull(),
    dryRun: boolean('dry_run').notNull(),
    mode: text('mode').notNull(),
    status: text('status').notNull(),
    /** The organisation of the key that imported; null for an admin. */
    organisationId: text('organisation_id'),
    keyId: text('key_id'),
    totalRows: integer('total_rows').notNull(),
    processedRows: integer('processed_rows').notNull(),
    counts: jsonb('counts').notNull(),
    fileProblems: jsonb('file_problems').notNull(),
    /** The per-row report: [{ row, status, id, problems }]. */
    rows: jsonb('rows').notNull(),
    error: text('error'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    check('import_jobs_kind_check', inList(t.kind, IMPORT_KINDS)),
    check('import_jobs_format_check', inList(t.format, IMPORT_FORMATS)),
    check('import_jobs_mode_check', inList(t.mode, IMPORT_MODES)),
    check('import_jobs_status_check', inList(t.status, JOB_STATUSES)),
    index('import_jobs_organisation_idx').on(t.organisationId),
  ],
);
