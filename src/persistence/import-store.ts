/**
 * Import jobs as stored (app/imports.ts): inserted when an import starts,
 * updated as its batches commit and when it ends.
 * @impure talks to the database.
 */
import { eq } from 'drizzle-orm';
import type { ImportCounts, ImportFormat, ImportJob, ImportKind, ImportMode, ImportStore, JobStatus, RowProblem, RowReport } from '../app/imports.ts';
import type { Db } from './db.ts';
import { importJobs } from './schema/imports.ts';
import { guarded } from './sql-helpers.ts';

type JobRow = typeof importJobs.$inferSelect;

/** A row's report as stored, compactly: [row, status, id, problems?]. */
type StoredRow = [number, RowReport['status'], string | null, RowProblem[]?];

const toStored = (r: RowReport): StoredRow => (r.problems.length === 0 ? [r.row, r.status, r.id] : [r.row, r.status, r.id, [...r.problems]]);
const fromStored = ([row, status, id, problems]: StoredRow): RowReport => ({ row, status, id, problems: problems ?? [] });

function jobOf(r: JobRow): ImportJob {
  return {
    id: r.id,
    kind: r.kind as ImportKind,
    format: r.format as ImportFormat,
    fileName: r.fileName,
    fileSha256: r.fileSha256,
    dryRun: r.dryRun,
    mode: r.mode as ImportMode,
    status: r.status as JobStatus,
    organisationId: r.organisationId,
    keyId: r.keyId,
    totalRows: r.totalRows,
    processedRows: r.processedRows,
    counts: r.counts as ImportCounts,
    fileProblems: r.fileProblems as RowProblem[],
    rows: (r.rows as StoredRow[]).map(fromStored),
    error: r.error,
    createdAt: new Date(r.createdAt).toISOString(),
    finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
  };
}

function rowOf(j: ImportJob) {
  return {
    kind: j.kind,
    format: j.format,
    fileName: j.fileName,
    fileSha256: j.fileSha256,
    dryRun: j.dryRun,
    mode: j.mode,
    status: j.status,
    organisationId: j.organisationId,
    keyId: j.keyId,
    totalRows: j.totalRows,
    processedRows: j.processedRows,
    counts: j.counts,
    fileProblems: j.fileProblems,
    rows: j.rows.map(toStored),
    error: j.error,
    finishedAt: j.finishedAt,
  };
}

export class DrizzleImportStore implements ImportStore {
  constructor(private readonly db: Db) {}

  insertJob(job: ImportJob): Promise<void> {
    return guarded(async () => void (await this.db.insert(importJobs).values({ id: job.id, createdAt: job.createdAt, ...rowOf(job) })));
  }

  updateJob(job: ImportJob): Promise<void> {
    return guarded(async () => void (await this.db.update(importJobs).set(rowOf(job)).where(eq(importJobs.id, job.id))));
  }

  updateProgress(id: string, processedRows: number, counts: ImportCounts): Promise<void> {
    return guarded(async () => void (await this.db.update(importJobs).set({ processedRows, counts }).where(eq(importJobs.id, id))));
  }

  async getJob(id: string): Promise<ImportJob | undefined> {
    const rows = await guarded(() => this.db.select().from(importJobs).where(eq(importJobs.id, id)));
    return rows[0] && jobOf(rows[0]);
  }
}
