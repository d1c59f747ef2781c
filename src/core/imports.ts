/**
 * Register imports (issue #21): what an import job is and reports — the
 * kinds, formats and modes, each row's outcome and the problems found, by
 * the row and column a user sees in the spreadsheet. Data only; the use case
 * is app/imports.ts.
 */
import type { ErrorCode } from './errors.ts';

export const IMPORT_KINDS = ['equipment', 'records', 'scopes', 'cmcs'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const IMPORT_MODES = ['valid-rows', 'all-or-nothing'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
/** `amended`: a row that changed a lab's scope or CMC already declared, appended as its new version. */
export const ROW_STATUSES = ['created', 'amended', 'unchanged', 'valid', 'conflict', 'error', 'not_imported'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];
export const JOB_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** One problem, where the user sees it: the spreadsheet's row (the header is row 1) and column header. */
export interface RowProblem {
  readonly row: number;
  /** The column's header as written in the file (or the template's, when the file lacks the column); null when no column holds the field. */
  readonly column: string | null;
  /** The field's JSON pointer in the equipment API. */
  readonly field: string;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface RowReport {
  readonly row: number;
  readonly status: RowStatus;
  /** The id of what the row is (equipment, record, scope or CMC): registered, unchanged, in conflict, or the one a valid row would get. */
  readonly id: string | null;
  readonly problems: readonly RowProblem[];
}

export type ImportCounts = Record<RowStatus, number>;

export interface ImportJob {
  readonly id: string;
  readonly kind: ImportKind;
  readonly format: ImportFormat;
  readonly fileName: string | null;
  readonly fileSha256: string;
  readonly dryRun: boolean;
  readonly mode: ImportMode;
  readonly status: JobStatus;
  /** The organisation of the key that imported (null for an admin). */
  readonly organisationId: string | null;
  readonly keyId: string | null;
  /** Data rows in the file (blank rows not counted). */
  readonly totalRows: number;
  /** Rows whose outcome is settled (committed, or reported by a dry run). */
  readonly processedRows: number;
  readonly counts: ImportCounts;
  /** Problems of the file as a whole (unreadable, unknown or repeated columns, no rows): nothing is written while there are any. */
  readonly fileProblems: readonly RowProblem[];
  readonly rows: readonly RowReport[];
  /** Why an interrupted import stopped. */
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}
