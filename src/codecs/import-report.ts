/**
 * An import job on the wire (JSON), and its report as CSV for a spreadsheet:
 * one line per problem, and one per row without any, UTF-8 with a byte-order
 * mark so that Excel opens the Chinese right.
 */
import { type ImportJob, ROW_STATUSES, type RowStatus } from '../core/imports.ts';
import { type CsvColumns, spreadsheetCsv } from './csv.ts';
import type { Lang } from './equipment-register.ts';

export function writeImportJob(job: ImportJob, opts: { readonly onlyProblems?: boolean } = {}) {
  return {
    id: job.id,
    kind: job.kind,
    format: job.format,
    fileName: job.fileName,
    fileSha256: job.fileSha256,
    dryRun: job.dryRun,
    mode: job.mode,
    status: job.status,
    organisationId: job.organisationId,
    totalRows: job.totalRows,
    processedRows: job.processedRows,
    progress: job.totalRows === 0 ? (job.status === 'running' ? 0 : 1) : job.processedRows / job.totalRows,
    // every status counted, 0 for one a job stored before it existed (amended)
    counts: Object.fromEntries(ROW_STATUSES.map((s) => [s, job.counts[s] ?? 0])) as Record<RowStatus, number>,
    fileProblems: job.fileProblems,
    rows: opts.onlyProblems ? job.rows.filter((r) => r.problems.length > 0) : job.rows,
    error: job.error,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
  };
}

const STATUS_ZH: Record<RowStatus, string> = {
  created: '已导入',
  amended: '已变更（新版本）',
  unchanged: '未变更',
  valid: '可导入',
  conflict: '冲突',
  error: '有误',
  not_imported: '未导入',
};
const ID_COLUMNS: Record<ImportJob['kind'], readonly [string, string]> = {
  equipment: ['equipment id', '器具ID'],
  records: ['record id', '记录ID'],
  scopes: ['scope id', '授权项目ID'],
  cmcs: ['CMC id', 'CMC ID'],
};
const reportColumns = (job: ImportJob): CsvColumns => [
  ['row', '行号'],
  ['status', '状态'],
  ID_COLUMNS[job.kind],
  ['column', '列'],
  ['code', '问题代码'],
  ['problem', '说明'],
];

/** The report as CSV (RFC 4180, CRLF, with BOM): the file's problems first, then each row. */
export function importReportCsv(job: ImportJob, lang: Lang): string {
  const status = (s: RowStatus) => (lang === 'zh' ? STATUS_ZH[s] : s);
  const lines: unknown[][] = job.fileProblems.map((p) => [p.row, status('error'), '', p.column ?? '', p.code, p.message]);
  for (const r of job.rows) {
    if (r.problems.length === 0) lines.push([r.row, status(r.status), r.id ?? '', '', '', '']);
    for (const p of r.problems) lines.push([r.row, status(r.status), r.id ?? '', p.column ?? '', p.code, p.message]);
  }
  return spreadsheetCsv(reportColumns(job), lines, { lang, bom: true });
}
