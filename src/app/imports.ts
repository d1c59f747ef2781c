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
import { requireOwnOrganisation, withArticle, type Caller } from '../core/access/roles.ts';
import { Decimal } from '../core/numeric/decimal.ts';
import type { Equipment } from '../core/registry/types.ts';
import { EQUIPMENT_COLUMNS, equipmentCells, equipmentRowJson } from '../codecs/equipment-register.ts';
import { REGISTER_TABLES } from '../codecs/registers.ts';
import { hasPoint, RECORD_COLUMNS, recordCells, recordRowsJson, splitRecordCells } from '../codecs/record-register.ts';
import { readEquipment, readRecord } from '../codecs/registry.ts';
import {
  columnLetter,
  columnOfTablePointer,
  type HeaderMatch,
  headerIn,
  matchTableHeader,
  type RegisterColumn,
  type RegisterTable,
} from '../codecs/register-table.ts';
import type { CalibrationRecord } from '../core/registry/types.ts';
import type { RegistryStore } from './ports.ts';
import type { EquipmentRegistrations, RegistryService } from './registry.ts';
import { declarationImporter } from './declaration-imports.ts';

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
  /** The lab of rows of a scope or CMC register that name none. */
  readonly labId?: string | null;
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

const emptyCounts = (): ImportCounts => ({ created: 0, amended: 0, unchanged: 0, valid: 0, conflict: 0, error: 0, not_imported: 0 });

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
    if (request.kind === 'scopes' || request.kind === 'cmcs') {
      // as the routes that declare them: a lab's scope and CMCs are granted to it, not declared by it
      if (caller.role !== 'admin')
        fail(
          'FORBIDDEN',
          '/kind',
          `a lab's authorised scope and CMCs are declared by an admin (as POST /v1/organisations/{id}/${request.kind} is), not with ${withArticle(caller.role)} key`,
        );
    } else if (request.kind === 'records') {
      // a record is the issuing lab's statement: an owner's copy of a certificate is not the lab's record
      if (caller.role !== 'lab' && caller.role !== 'admin')
        fail(
          'FORBIDDEN',
          '/kind',
          `calibration and verification records are imported by the lab that issued them (with its key) or by an admin, not with ${withArticle(caller.role)} key; an owner imports its equipment (kind equipment)`,
        );
    } else if (request.ownerId) requireOwnOrganisation(caller, request.ownerId, '/ownerId', 'import equipment');
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
    const register = REGISTER_TABLES[request.kind];
    if (!headerRow)
      return this.finish({
        ...job,
        status: 'failed',
        fileProblems: [
          {
            row: 1,
            column: null,
            field: '/file',
            code: 'MISSING_FIELD',
            message: `the file is empty; its first row is the header (see GET /v1/imports/templates/${register.kind}.csv)`,
          },
        ],
      });
    const header = matchTableHeader(register, headerRow.cells);
    const fileProblems: RowProblem[] = header.problems.map((p) => ({
      row: headerRow.number,
      column: p.header,
      field: '',
      code: p.code,
      message: `column ${columnLetter(p.index)}: ${p.message}`,
    }));
    if (rows.length === 0)
      fileProblems.push({ row: headerRow.number, column: null, field: '/file', code: 'MISSING_FIELD', message: 'the file has a header but no rows under it' });
    job = { ...job, totalRows: rows.length, fileProblems };
    await this.deps.jobs.updateJob(job);

    const columns = new TableColumns(register, header, headerRow.cells);
    const importer: Importer =
      request.kind === 'records'
        ? new RecordImporter(this.deps.registry, caller, columns, ownerId)
        : request.kind === 'scopes' || request.kind === 'cmcs'
          ? declarationImporter(request.kind, this.deps.registry, columns, request.labId ?? null)
          : new EquipmentImporter(this.deps.registry, caller, columns, ownerId);
    const units = importer.units(rows);
    // With problems in the file, nothing is written: the rows are checked as in a dry run.
    const writes = !job.dryRun && fileProblems.length === 0;
    const rowsSoFar: RowReport[] = [];
    try {
      if (!writes || job.mode === 'all-or-nothing') {
        const reports: RowReport[] = [];
        await this.rolledBackUnless(async (store) => {
          for (const batch of batches(units, this.deps.batchSize ?? BATCH_SIZE)) reports.push(...(await importer.batch(store, batch, writes)));
          return writes && reports.every((r) => r.status === 'created' || r.status === 'amended' || r.status === 'unchanged');
        });
        const committed = writes && reports.every((r) => r.status === 'created' || r.status === 'amended' || r.status === 'unchanged');
        const settled = reports.map((r) => ((r.status === 'created' || r.status === 'amended') && !committed ? { ...r, status: 'not_imported' as const } : r));
        job = { ...job, rows: settled, processedRows: settled.length };
      } else {
        for (const batch of batches(units, this.deps.batchSize ?? BATCH_SIZE)) {
          const reports = await this.deps.store.transaction((store) => importer.batch(store, batch, true));
          rowsSoFar.push(...reports);
          job = { ...job, processedRows: rowsSoFar.length };
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

/** Units in batches of about `size` rows; a unit (the rows of one certificate) is never split between two. */
function batches(units: readonly TableRow[][], size: number): TableRow[][][] {
  const out: TableRow[][][] = [];
  let batch: TableRow[][] = [];
  let rows = 0;
  for (const unit of units) {
    if (rows > 0 && rows + unit.length > size) {
      out.push(batch);
      batch = [];
      rows = 0;
    }
    batch.push(unit);
    rows += unit.length;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** The file's columns: which register column each cell is, and the header a problem is shown under. */
export class TableColumns {
  constructor(
    readonly table: RegisterTable,
    private readonly header: HeaderMatch,
    private readonly headerCells: readonly string[],
  ) {}

  get lang() {
    return this.header.lang;
  }

  cellsOf(row: TableRow): Map<RegisterColumn, string> {
    const cells = new Map<RegisterColumn, string>();
    this.header.columns.forEach((c, i) => c && cells.set(c, row.cells[i] ?? ''));
    return cells;
  }

  /** The header a problem at a pointer is shown under: the file's own, or the template's in the file's language. */
  private columnName(pointer: string): string | null {
    const column = columnOfTablePointer(this.table, pointer);
    if (!column) return null;
    const index = this.header.columns.indexOf(column);
    return index >= 0 ? this.headerCells[index]!.trim() : headerIn(column, this.header.lang);
  }

  problem(row: number, e: MetrologyError, pointer = e.path): RowProblem {
    return { row, column: this.columnName(pointer), field: e.path, code: e.code, message: e.message };
  }
}

/**
 * How the rows of one kind of register are written: in units (a row, or the
 * rows of one certificate), a batch of units at a time, against the store of
 * the transaction they run in (a dry run's is rolled back).
 */
export interface Importer {
  units(rows: readonly TableRow[]): TableRow[][];
  batch(store: RegistryStore, units: readonly TableRow[][], write: boolean): Promise<RowReport[]>;
}

/** A row of an equipment register as read: the instrument it registers, or the problem that stops it. */
type EquipmentRow =
  | { readonly row: TableRow; readonly id: string | null; readonly equipment: Equipment; readonly namesId: boolean }
  | { readonly row: TableRow; readonly id: string | null; readonly problem: MetrologyError };

/** An equipment register: one instrument a row. */
class EquipmentImporter implements Importer {
  constructor(
    private readonly registry: RegistryService,
    private readonly caller: Caller,
    private readonly columns: TableColumns,
    private readonly ownerId: string | null,
  ) {}

  units(rows: readonly TableRow[]): TableRow[][] {
    return rows.map((r) => [r]);
  }

  /**
   * A batch of rows, set-based: every row read and checked in memory, in
   * file order, against what the batch's rows name in the registry (read in
   * one go) and the rows before it — the rules of a registration, each in one
   * place (RegistryService.equipmentRegistrations) — then the new ones written
   * by one multi-row insert with their ledger entries. Should the database
   * still refuse the write, each row goes again on its own, so the one it
   * refuses is reported and the rest are written.
   */
  async batch(store: RegistryStore, units: readonly TableRow[][], write: boolean): Promise<RowReport[]> {
    const rows = units.map((u) => this.read(u[0]!));
    const registrations = await this.registry.equipmentRegistrations(
      store,
      rows.flatMap((r) => ('equipment' in r ? [r.equipment] : [])),
    );
    const reports = rows.map((r) => this.settle(registrations, r, write));
    try {
      await registrations.write();
    } catch (e) {
      if (!(e instanceof MetrologyError)) throw e;
      if (units.length > 1) {
        const out: RowReport[] = [];
        for (const unit of units) out.push(...(await this.batch(store, [unit], write)));
        return out;
      }
      return reports.map((r) =>
        r.status === 'created' || r.status === 'valid' ? { ...r, status: 'error' as const, problems: [this.columns.problem(r.row, e)] } : r,
      );
    }
    return reports;
  }

  /** A row read by the codec into the instrument it registers: the caller may register it, and it names an id or an asset code. */
  private read(row: TableRow): EquipmentRow {
    const raw = equipmentRowJson(this.columns.cellsOf(row), { ownerId: this.ownerId });
    const id: string | null = typeof raw['id'] === 'string' ? raw['id'] : null;
    try {
      const equipment = readEquipment(raw, this.registry.newId);
      this.registry.checkEquipmentWriter(this.caller, equipment);
      if (raw['id'] === undefined && equipment.assetCode === null) {
        fail(
          'MISSING_FIELD',
          '/assetCode',
          'an imported row names an id or an asset code, so that importing the file again recognises the instrument instead of registering it twice',
        );
      }
      return { row, id, equipment, namesId: raw['id'] !== undefined };
    } catch (e) {
      if (!(e instanceof MetrologyError)) throw e;
      return { row, id, problem: e };
    }
  }

  /** What becomes of a row read: unchanged or in conflict when its instrument is registered (stored, or by a row above), else added to the batch or refused. */
  private settle(registrations: EquipmentRegistrations, r: EquipmentRow, write: boolean): RowReport {
    const number = r.row.number;
    if ('problem' in r) return { row: number, status: 'error', id: r.id, problems: [this.columns.problem(number, r.problem)] };
    const e = r.equipment;
    const existing = r.namesId ? registrations.withId(e.id) : registrations.withAssetCode(e.ownerId, e.assetCode!);
    if (existing) {
      const differ = differingColumns(existing, { ...e, id: existing.id });
      if (differ.length === 0) return { row: number, status: 'unchanged', id: existing.id, problems: [] };
      const cellsNow = equipmentCells(existing);
      const what = differ
        .map((c) => `${headerIn(c, this.columns.lang)} '${cellsNow[c.key]}' (this row: '${equipmentCells({ ...e, id: existing.id })[c.key]}')`)
        .join(', ');
      const problem = new MetrologyError(
        'APPEND_ONLY',
        differ[0]!.pointer,
        `equipment '${existing.id}' is already registered with ${what}; a registration is never overwritten: record what changed as an event (POST /v1/equipment/${existing.id}/events), or give this instrument another id and asset code`,
      );
      return { row: number, status: 'conflict', id: existing.id, problems: [this.columns.problem(number, problem)] };
    }
    try {
      registrations.add(e);
      return { row: number, status: write ? 'created' : 'valid', id: e.id, problems: [] };
    } catch (x) {
      if (!(x instanceof MetrologyError)) throw x;
      return { row: number, status: 'error', id: e.id, problems: [this.columns.problem(number, x)] };
    }
  }
}

/** A point's figures by value (15 and 15.0 are the same reading), its unit as written. */
const pointKey = (p: CalibrationRecord['points'][number]): string =>
  [p.nominal, p.asFound, p.asLeft, p.expandedUncertainty, p.coverageFactor].map((v) => (v === null ? '' : new Decimal(v).toString())).join('|') + `|${p.unit}`;

/** The columns in which two records of the same certificate differ (the points as one). */
export function differingRecordColumns(registered: CalibrationRecord, row: CalibrationRecord): string[] {
  const a = recordCells(registered);
  const b = recordCells(row);
  const differ = RECORD_COLUMNS.filter((c) => c.key in a && a[c.key] !== b[c.key]).map((c) => c.key);
  const pa = registered.points.map(pointKey);
  const pb = row.points.map(pointKey);
  if (pa.length !== pb.length || pa.some((k, i) => k !== pb[i])) differ.push('points');
  return differ;
}

/**
 * A register of calibration and verification records: one certificate a
 * unit of consecutive rows with the same certificate number (one measured
 * point a row), appended as `POST /v1/calibrations` appends it — the same
 * codec, the same authority of the lab on the date, the same checks of the
 * standards used — and recognised again by its certificate number.
 */
class RecordImporter implements Importer {
  private readonly certificateColumn: RegisterColumn;

  constructor(
    private readonly registry: RegistryService,
    private readonly caller: Caller & { kind: 'key' },
    private readonly columns: TableColumns,
    private readonly ownerId: string | null,
  ) {
    this.certificateColumn = RECORD_COLUMNS.find((c) => c.key === 'certificateNo')!;
  }

  private certificateOf(row: TableRow): string {
    return (this.columns.cellsOf(row).get(this.certificateColumn) ?? '').trim();
  }

  /**
   * Consecutive rows of one certificate: those that repeat its number, and
   * those that give only a further point (the certificate's own columns all
   * blank, as a spreadsheet with merged cells saves them).
   */
  units(rows: readonly TableRow[]): TableRow[][] {
    const units: TableRow[][] = [];
    let last: string | null = null;
    for (const row of rows) {
      const no = this.certificateOf(row);
      const { record, point } = splitRecordCells(this.columns.cellsOf(row));
      const pointOnly = no === '' && hasPoint(point) && [...record.values()].every((v) => v.trim() === '');
      if (units.length > 0 && ((no !== '' && no === last) || pointOnly)) units[units.length - 1]!.push(row);
      else {
        units.push([row]);
        last = no;
      }
    }
    return units;
  }

  /** A batch of certificates, one after another (each may read what the one before it wrote). */
  async batch(store: RegistryStore, units: readonly TableRow[][], write: boolean): Promise<RowReport[]> {
    const out: RowReport[] = [];
    for (const unit of units) out.push(...(await this.unit(store, unit, write)));
    return out;
  }

  private async unit(store: RegistryStore, rows: readonly TableRow[], write: boolean): Promise<RowReport[]> {
    const cells = rows.map((r) => splitRecordCells(this.columns.cellsOf(r)));
    const pointRows = rows.filter((_, i) => hasPoint(cells[i]!.point));
    const first = rows[0]!;
    const all = (status: RowReport['status'], id: string | null, problem?: { at: number; problem: RowProblem }): RowReport[] =>
      rows.map((r) => {
        if (!problem) return { row: r.number, status, id, problems: [] };
        if (r.number === problem.at) return { row: r.number, status, id, problems: [problem.problem] };
        const span = rows.length > 1 ? ` (rows ${first.number}–${rows[rows.length - 1]!.number})` : '';
        return {
          row: r.number,
          status,
          id,
          problems: [
            {
              row: r.number,
              column: null,
              field: '',
              code: problem.problem.code,
              message: `this row is part of certificate '${this.certificateOf(first)}'${span}, taken or refused as a whole: see row ${problem.at}`,
            },
          ],
        };
      });
    const astray = this.continuationProblem(rows, cells);
    if (astray) return all('error', null, { at: astray.row.number, problem: this.columns.problem(astray.row.number, astray.error) });
    let id: string | null = null;
    let byAssetCode = false;
    try {
      const raw = recordRowsJson(
        cells[0]!.record,
        pointRows.map((r) => cells[rows.indexOf(r)]!.point),
      );
      id = typeof raw['id'] === 'string' ? raw['id'] : null;
      byAssetCode = await this.resolveSubject(store, raw);
      if (raw['labId'] === undefined && this.caller.role === 'lab' && this.caller.organisationId) raw['labId'] = this.caller.organisationId;
      const record = readRecord(raw, this.registry.newId);
      await this.registry.checkRecordWriter(this.caller, record, store);
      const existing = await store.recordByCertificate(record.certificateNo);
      if (existing && existing.record.labId !== record.labId && this.caller.role !== 'admin') {
        // another lab's certificate: its number is taken, and nothing of it is shown to this lab
        const taken = new MetrologyError(
          'DUPLICATE',
          '/certificateNo',
          `certificate number '${record.certificateNo}' is already recorded by another lab (numbers are compared ignoring case, spaces and full-width forms); check the number, or give this certificate its own`,
        );
        return all('error', null, { at: first.number, problem: this.columns.problem(first.number, taken) });
      }
      if (existing) {
        id = existing.record.id;
        const registered = existing.record;
        const differ = differingRecordColumns(registered, { ...record, id: raw['id'] === undefined ? registered.id : record.id });
        if (differ.length === 0) return all('unchanged', id);
        const now = recordCells(registered);
        const mine = recordCells(record);
        const what = differ
          .map((k) => {
            if (k === 'points') return `${registered.points.length} measured point(s) that differ from this file's ${record.points.length}`;
            const c = RECORD_COLUMNS.find((x) => x.key === k)!;
            return `${headerIn(c, this.columns.lang)} '${now[k]}' (this file: '${mine[k]}')`;
          })
          .join(', ');
        const pointer = differ[0] === 'points' ? '/point' : RECORD_COLUMNS.find((c) => c.key === differ[0])!.pointer;
        const problem = new MetrologyError(
          'APPEND_ONLY',
          pointer,
          `certificate '${registered.certificateNo}' is already recorded (record '${registered.id}') with ${what}; a record is never overwritten: a correction supersedes it (POST /v1/calibrations naming it in supersedes, under a new certificate number)`,
        );
        return all('conflict', id, { at: first.number, problem: this.columns.problem(first.number, problem) });
      }
      id = record.id;
      // a savepoint: a certificate refused by the database leaves the batch's transaction usable
      await store.transaction((s) => this.registry.appendRecord(s, record));
      return all(write ? 'created' : 'valid', id);
    } catch (e) {
      if (!(e instanceof MetrologyError)) throw e;
      // a problem of a measured point is shown on that point's row, under the point's column
      const point = /^\/points\/(\d+)(\/.*)?$/.exec(e.path);
      const at = point ? (pointRows[Number(point[1])] ?? first) : first;
      // a problem of the instrument named by its asset code is shown under that column
      const pointer = point ? `/point${point[2] ?? ''}` : e.path === '/subjectId' && byAssetCode ? '/subject/assetCode' : e.path;
      return all('error', id, { at: at.number, problem: this.columns.problem(at.number, e, pointer) });
    }
  }

  /** The rows after a certificate's first give its further points: the certificate's own columns blank there, or as the first row writes them. */
  private continuationProblem(
    rows: readonly TableRow[],
    cells: ReadonlyArray<{ record: Map<RegisterColumn, string> }>,
  ): { row: TableRow; error: MetrologyError } | null {
    for (let i = 1; i < rows.length; i++) {
      for (const [c, v] of cells[i]!.record) {
        if (v.trim() === '' || v.trim() === (cells[0]!.record.get(c) ?? '').trim()) continue;
        const error = new MetrologyError(
          'INVALID_FIELD',
          c.pointer,
          `row ${rows[i]!.number} continues certificate '${this.certificateOf(rows[0]!)}' of row ${rows[0]!.number} (one measured point a row) but writes '${v.trim()}' where row ${rows[0]!.number} writes '${(cells[0]!.record.get(c) ?? '').trim()}'; leave the certificate's own columns blank on its further rows, or write them as its first row does`,
        );
        return { row: rows[i]!, error };
      }
    }
    return null;
  }

  /** The instrument named by owner and asset code, as the API names it: by id. Says whether it was named so. */
  private async resolveSubject(store: RegistryStore, raw: Record<string, unknown>): Promise<boolean> {
    const subject = (raw['subject'] ?? {}) as { ownerId?: string; assetCode?: string };
    delete raw['subject'];
    if (subject.assetCode === undefined) {
      if (raw['subjectId'] === undefined)
        fail('MISSING_FIELD', '/subjectId', 'name the instrument verified or calibrated: by its id in this registry, or by its owner and asset code');
      return false;
    }
    const ownerId =
      subject.ownerId ??
      this.ownerId ??
      fail('MISSING_FIELD', '/subject/ownerId', `give the owner of the instrument with asset code '${subject.assetCode}' (or its id)`);
    const found = (await store.listEquipment({ ownerId, assetCode: subject.assetCode }, { limit: 1, after: null })).items[0];
    if (!found)
      fail(
        'UNKNOWN_REFERENCE',
        '/subject/assetCode',
        `'${ownerId}' has no equipment with asset code '${subject.assetCode}' in this registry; import or register the instrument first (kind equipment), or give its id`,
      );
    if (raw['subjectId'] !== undefined && raw['subjectId'] !== found.id)
      fail(
        'INVALID_FIELD',
        '/subject/assetCode',
        `asset code '${subject.assetCode}' of '${ownerId}' is equipment '${found.id}', not '${String(raw['subjectId'])}'; give one of them, or both of the same instrument`,
      );
    raw['subjectId'] = found.id;
    return true;
  }
}
