/**
 * Bulk import of registers (issue #21): a spreadsheet an organisation already
 * keeps, read into rows, each row through the same codec and the same use
 * case as `POST /v1/equipment` — no rule of its own but one: a row names an
 * id or an asset code, so that the file imported again is recognised.
 *
 * A dry run does everything in a transaction it rolls back and returns the
 * report. A commit writes the valid rows in batches, each batch a
 * transaction (mode `valid-rows`), or everything in one transaction that is
 * rolled back when any row has a problem (`all-or-nothing`). A row whose
 * instrument is already registered with the same content is `unchanged`;
 * with other content it is a conflict, never overwritten (registrations are
 * append-only). So an import stopped half-way leaves whole batches only, and
 * running it again finishes it.
 */
import { fail, MetrologyError } from '../core/errors.ts';
import type { ImportCounts, ImportFormat, ImportJob, ImportKind, ImportMode, RowProblem, RowReport } from '../core/imports.ts';
import { requireOwnOrganisation, type Caller } from '../core/access/roles.ts';
import { Decimal } from '../core/numeric/decimal.ts';
import type { Equipment } from '../core/registry/types.ts';
import { columnLetter, columnOfPointer, EQUIPMENT_COLUMNS, equipmentCells, equipmentRowJson, headerIn, type Lang, matchHeader, type RegisterColumn } from '../codecs/equipment-register.ts';
import type { RegistryStore } from './ports.ts';
import type { RegistryService } from './registry.ts';

/** Rows written per transaction in mode `valid-rows`. */
export const BATCH_SIZE = 500;

export * from '../core/imports.ts';

export interface ImportRequest {
  readonly kind: ImportKind;
  readonly format: ImportFormat;
  readonly bytes: Uint8Array;
  readonly fileName?: string | null;
  readonly dryRun?: boolean;
  readonly mode?: ImportMode;
  /** The owner of rows that name none (default: the organisation of the caller's key). */
  readonly ownerId?: string | null;
}

/** One row of a table as read from a file: its row number as the spreadsheet shows it, and its cells as text. */
export interface TableRow {
  readonly number: number;
  readonly cells: readonly string[];
}

/** Import jobs as stored (not append-only: a job's progress is updated as batches commit). */
export interface ImportStore {
  insertJob(job: ImportJob): Promise<void>;
  updateJob(job: ImportJob): Promise<void>;
  /** A running job's progress, after each committed batch. */
  updateProgress(id: string, processedRows: number, counts: ImportCounts): Promise<void>;
  getJob(id: string): Promise<ImportJob | undefined>;
}

export interface ImportDeps {
  readonly registry: RegistryService;
  /** The registry's store: transactions and the lookups of existing equipment. */
  readonly store: RegistryStore;
  readonly jobs: ImportStore;
  /** Reads a file into rows (runtime/spreadsheet.ts: CSV in UTF-8 or GB18030, XLSX). */
  readonly readTable: (format: ImportFormat, bytes: Uint8Array) => Promise<TableRow[]>;
  readonly sha256: (bytes: Uint8Array) => string;
  readonly newId: () => string;
  readonly now: () => string;
  /** Rows per transaction in mode valid-rows (default BATCH_SIZE). */
  readonly batchSize?: number;
}

class Rollback extends Error {}

const emptyCounts = (): ImportCounts => ({ created: 0, unchanged: 0, valid: 0, conflict: 0, error: 0, not_imported: 0 });

/** The decimal fields, compared by value (30 and 30.0 are the same range). */
const DECIMAL_KEYS = new Set(['range.min', 'range.max', 'accuracy.mpe', 'accuracy.expandedUncertainty', 'accuracy.coverageFactor']);

/** The columns in which two registrations of the same instrument differ. */
export function differingColumns(registered: Equipment, row: Equipment): RegisterColumn[] {
  const a = equipmentCells(registered);
  const b = equipmentCells(row);
  return EQUIPMENT_COLUMNS.filter((c) => {
    const x = a[c.key]!;
    const y = b[c.key]!;
    if (x === y) return false;
    if (DECIMAL_KEYS.has(c.key) && x !== '' && y !== '') return !new Decimal(x).equals(new Decimal(y));
    return true;
  });
}

export class ImportService {
  constructor(private readonly deps: ImportDeps) {}

  /** Runs an import to its end and returns the job with its report (stored under its id as it goes). */
  async run(caller: Caller, request: ImportRequest): Promise<ImportJob> {
    return (await this.start(caller, request)).finished;
  }

  /**
   * Starts an import: the job is stored (status `running`) before this
   * resolves, and `finished` settles when the import ends — so a caller that
   * cannot wait (an HTTP request with a deadline) answers with the job's id
   * and the client follows its progress by GET.
   */
  async start(caller: Caller, request: ImportRequest): Promise<{ readonly job: ImportJob; readonly finished: Promise<ImportJob> }> {
    if (caller.kind !== 'key') fail('UNAUTHORISED', '', 'an import is made with an API key');
    const ownerId = request.ownerId ?? caller.organisationId;
    if (request.ownerId) requireOwnOrganisation(caller, request.ownerId, '/ownerId', 'import equipment');
    const job: ImportJob = {
      id: this.deps.newId(),
      kind: request.kind,
      format: request.format,
      fileName: request.fileName ?? null,
      fileSha256: this.deps.sha256(request.bytes),
      dryRun: request.dryRun ?? false,
      mode: request.mode ?? 'valid-rows',
      status: 'running',
      organisationId: caller.organisationId,
      keyId: caller.keyId,
      totalRows: 0,
      processedRows: 0,
      counts: emptyCounts(),
      fileProblems: [],
      rows: [],
      error: null,
      createdAt: this.deps.now(),
      finishedAt: null,
    };
    await this.deps.jobs.insertJob(job);
    return { job, finished: this.carryOut(caller, request, job, ownerId) };
  }

  private async carryOut(caller: Caller & { kind: 'key' }, request: ImportRequest, started: ImportJob, ownerId: string | null): Promise<ImportJob> {
    let job = started;
    let table: TableRow[];
    try {
      table = await this.deps.readTable(request.format, request.bytes);
    } catch (e) {
      if (!(e instanceof MetrologyError)) throw e;
      return this.finish({ ...job, status: 'failed', fileProblems: [{ row: 1, column: null, field: '/file', code: e.code, message: e.message }] });
    }
    const nonBlank = table.filter((r) => r.cells.some((c) => c.trim() !== ''));
    const [headerRow, ...rows] = nonBlank;
    if (!headerRow) return this.finish({ ...job, status: 'failed', fileProblems: [{ row: 1, column: null, field: '/file', code: 'MISSING_FIELD', message: 'the file is empty; its first row is the header (see GET /v1/imports/templates/equipment.csv)' }] });
    const header = matchHeader(headerRow.cells);
    const fileProblems: RowProblem[] = header.problems.map((p) => ({ row: headerRow.number, column: p.header, field: '', code: p.code, message: `column ${columnLetter(p.index)}: ${p.message}` }));
    if (rows.length === 0) fileProblems.push({ row: headerRow.number, column: null, field: '/file', code: 'MISSING_FIELD', message: 'the file has a header but no rows under it' });
    job = { ...job, totalRows: rows.length, fileProblems };
    await this.deps.jobs.updateJob(job);

    const importer = new RowImporter(this.deps.registry, caller, header, headerRow.cells, ownerId);
    // With problems in the file, nothing is written: the rows are checked as in a dry run.
    const writes = !job.dryRun && fileProblems.length === 0;
    const rowsSoFar: RowReport[] = [];
    try {
      if (!writes || job.mode === 'all-or-nothing') {
        const reports: RowReport[] = [];
        await this.rolledBackUnless(async (store) => {
          for (const row of rows) reports.push(await importer.row(store, row, writes));
          return writes && reports.every((r) => r.status === 'created' || r.status === 'unchanged');
        });
        const committed = writes && reports.every((r) => r.status === 'created' || r.status === 'unchanged');
        const settled = reports.map((r) => (r.status === 'created' && !committed ? { ...r, status: 'not_imported' as const } : r));
        job = { ...job, rows: settled, processedRows: settled.length };
      } else {
        const size = this.deps.batchSize ?? BATCH_SIZE;
        for (let at = 0; at < rows.length; at += size) {
          const batch = rows.slice(at, at + size);
          const reports = await this.deps.store.transaction(async (store) => {
            const out: RowReport[] = [];
            for (const row of batch) out.push(await importer.row(store, row, true));
            return out;
          });
          rowsSoFar.push(...reports);
          job = { ...job, processedRows: at + batch.length };
          // the progress only: the rows are written once, at the end (rewriting them after every batch would be quadratic)
          await this.deps.jobs.updateProgress(job.id, job.processedRows, countOf(rowsSoFar));
        }
      }
    } catch (e) {
      // committed batches stay; the one that failed left nothing. Running the same file again finishes the import.
      await this.finish({ ...job, rows: job.rows.length > 0 ? job.rows : rowsSoFar, status: 'interrupted', error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    return this.finish({ ...job, rows: job.rows.length > 0 ? job.rows : rowsSoFar, status: fileProblems.length > 0 ? 'failed' : 'completed' });
  }

  /** Runs `work` in a transaction that is committed only when it says so. */
  private async rolledBackUnless(work: (store: RegistryStore) => Promise<boolean>): Promise<void> {
    try {
      await this.deps.store.transaction(async (store) => {
        if (!(await work(store))) throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
  }

  private async finish(job: ImportJob): Promise<ImportJob> {
    const done = { ...job, counts: countOf(job.rows), finishedAt: this.deps.now() };
    await this.deps.jobs.updateJob(done);
    return done;
  }

  /** A job, to the organisation that made it (or an admin); to anyone else it does not exist. */
  async get(caller: Caller, id: string): Promise<ImportJob> {
    const job = await this.deps.jobs.getJob(id);
    const admin = caller.kind === 'key' && caller.role === 'admin';
    const own = caller.kind === 'key' && job !== undefined && job.organisationId !== null && job.organisationId === caller.organisationId;
    if (!job || !(admin || own)) fail('NOT_FOUND', '', `no import has id '${id}'`);
    return job;
  }
}

function countOf(rows: readonly RowReport[]): ImportCounts {
  const counts = emptyCounts();
  for (const r of rows) counts[r.status]++;
  return counts;
}

/** One row at a time, against the store of the transaction it runs in. */
class RowImporter {
  private readonly columnAt: ReadonlyArray<RegisterColumn | null>;

  constructor(
    private readonly registry: RegistryService,
    private readonly caller: Caller,
    private readonly header: { readonly columns: ReadonlyArray<RegisterColumn | null>; readonly lang: Lang },
    private readonly headerCells: readonly string[],
    private readonly ownerId: string | null,
  ) {
    this.columnAt = header.columns;
  }

  /** The header a problem at a pointer is shown under: the file's own, or the template's in the file's language. */
  private columnName(pointer: string): string | null {
    const column = columnOfPointer(pointer);
    if (!column) return null;
    const index = this.columnAt.indexOf(column);
    return index >= 0 ? this.headerCells[index]!.trim() : headerIn(column, this.header.lang);
  }

  private problem(row: number, e: MetrologyError): RowProblem {
    return { row, column: this.columnName(e.path), field: e.path, code: e.code, message: e.message };
  }

  async row(store: RegistryStore, row: TableRow, write: boolean): Promise<RowReport> {
    const cells = new Map<RegisterColumn, string>();
    this.columnAt.forEach((c, i) => c && cells.set(c, row.cells[i] ?? ''));
    const raw = equipmentRowJson(cells, { ownerId: this.ownerId });
    let id: string | null = typeof raw['id'] === 'string' ? raw['id'] : null;
    try {
      const e = this.registry.parseEquipment(raw);
      this.registry.checkEquipmentWriter(this.caller, e);
      if (raw['id'] === undefined && e.assetCode === null) {
        fail('MISSING_FIELD', '/assetCode', 'an imported row names an id or an asset code, so that importing the file again recognises the instrument instead of registering it twice');
      }
      const existing = raw['id'] !== undefined ? await store.getEquipment(e.id) : (await store.listEquipment({ ownerId: e.ownerId, assetCode: e.assetCode! }, { limit: 1, after: null })).items[0];
      if (existing) {
        id = existing.id;
        const differ = differingColumns(existing, { ...e, id: existing.id });
        if (differ.length === 0) return { row: row.number, status: 'unchanged', id, problems: [] };
        const cellsNow = equipmentCells(existing);
        const what = differ.map((c) => `${headerIn(c, this.header.lang)} '${cellsNow[c.key]}' (this row: '${equipmentCells({ ...e, id: existing.id })[c.key]}')`).join(', ');
        const problem = new MetrologyError('APPEND_ONLY', differ[0]!.pointer, `equipment '${existing.id}' is already registered with ${what}; a registration is never overwritten: record what changed as an event (POST /v1/equipment/${existing.id}/events), or give this instrument another id and asset code`);
        return { row: row.number, status: 'conflict', id, problems: [this.problem(row.number, problem)] };
      }
      id = e.id;
      // a savepoint: a row refused by the database leaves the batch's transaction usable
      await store.transaction((s) => this.registry.registerEquipment(s, e));
      return { row: row.number, status: write ? 'created' : 'valid', id, problems: [] };
    } catch (e) {
      if (!(e instanceof MetrologyError)) throw e;
      return { row: row.number, status: 'error', id, problems: [this.problem(row.number, e)] };
    }
  }
}
