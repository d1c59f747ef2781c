/**
 * Importing a lab's authorised scope and its CMCs (kinds `scopes` and
 * `cmcs`): one scope or CMC a row, declared as `POST /v1/organisations/{id}/
 * scopes` (or `…/cmcs`) declares it — the same codec, the same checks, the
 * same ledger entry — and recognised again by its id, or when the row gives
 * none by what names it in a lab's schedule (the quantity, the category for
 * a scope, and the range). Scopes and CMCs are versioned, never overwritten:
 * a row that changes one already declared appends its new version, as
 * `POST …/amendments` does, from the date the row gives (`effectiveFrom`);
 * without that date the change is a conflict, named column by column.
 */
import { fail, MetrologyError } from '../core/errors.ts';
import { Decimal } from '../core/numeric/decimal.ts';
import type { Cmc, LabScope } from '../core/registry/types.ts';
import type { Version } from '../core/registry/versions.ts';
import type { RowReport } from '../core/imports.ts';
import { headerIn, type RegisterColumn } from '../codecs/register-table.ts';
import { CMC_COLUMNS, cmcCells, declarationRowJson, SCOPE_COLUMNS, scopeCells } from '../codecs/scope-register.ts';
import { readCmc, readCmcAmendment, readScope, readScopeAmendment, writeCmc, writeScope } from '../codecs/registry.ts';
import { checkCmcDeclaration } from '../core/registry/rules.ts';
import type { RegistryStore } from './ports.ts';
import type { RegistryService } from './registry.ts';
import type { Importer, TableColumns, TableRow } from './imports.ts';

/** How one of the two registers meets the registry. */
interface Declared<T extends LabScope | Cmc> {
  /** As the API's messages name it. */
  readonly what: 'scope' | 'CMC';
  readonly path: 'scopes' | 'cmcs';
  readonly columns: readonly RegisterColumn[];
  /** As the API writes it (the fields an amendment takes are these). */
  readonly wire: (t: T) => Record<string, unknown>;
  readonly cells: (t: T) => Record<string, string>;
  /** The columns an amendment may change (the others — quantity, validity's start — are the declaration's for good). */
  readonly amendable: ReadonlySet<string>;
  /** What names a declaration in a lab's schedule when the row gives no id. */
  readonly key: readonly string[];
  parse(registry: RegistryService, body: unknown, labId: string): T;
  histories(store: RegistryStore, labId: string): Promise<Version<T>[][]>;
  history(store: RegistryStore, id: string): Promise<Version<T>[] | undefined>;
  declare(registry: RegistryService, store: RegistryStore, t: T): Promise<unknown>;
  amend(registry: RegistryService, store: RegistryStore, labId: string, id: string, body: unknown): Promise<unknown>;
}

/** The decimal cells, compared by value (30 and 30.0 are the same range). */
const DECIMAL_KEYS = new Set(['range.min', 'range.max', 'expandedUncertainty', 'relativeExpandedUncertainty', 'coverageFactor']);
const NOT_COMPARED = new Set(['id', 'effectiveFrom', 'reason']);

export const SCOPES: Declared<LabScope> = {
  what: 'scope',
  path: 'scopes',
  columns: SCOPE_COLUMNS,
  wire: (s) => writeScope(s) as unknown as Record<string, unknown>,
  cells: scopeCells,
  amendable: new Set(['category', 'range.min', 'range.max', 'range.unit', 'mandatoryVerification', 'validUntil', 'authorisationNo', 'issuedBy']),
  key: ['quantity', 'category', 'range.min', 'range.max', 'range.unit'],
  parse: (registry, body, labId) => readScope(body, labId, registry.newId),
  histories: (store, labId) => store.scopeHistories(labId),
  history: (store, id) => store.scopeHistory(id),
  declare: (registry, store, scope) => registry.addScope(store, scope),
  amend: (registry, store, labId, id, body) => registry.amendScopeWithin(store, labId, id, readScopeAmendment(body, registry.newId)),
};

export const CMCS: Declared<Cmc> = {
  what: 'CMC',
  path: 'cmcs',
  columns: CMC_COLUMNS,
  wire: (c) => writeCmc(c) as unknown as Record<string, unknown>,
  cells: cmcCells,
  amendable: new Set(['range.min', 'range.max', 'range.unit', 'expandedUncertainty', 'relativeExpandedUncertainty', 'coverageFactor', 'validUntil']),
  key: ['quantity', 'range.min', 'range.max', 'range.unit'],
  parse: (registry, body, labId) => {
    const cmc = readCmc(body, labId, registry.newId);
    checkCmcDeclaration(cmc);
    return cmc;
  },
  histories: (store, labId) => store.cmcHistories(labId),
  history: (store, id) => store.cmcHistory(id),
  declare: (registry, store, cmc) => registry.declareCmc(store, cmc),
  amend: (registry, store, labId, id, body) => registry.amendCmcWithin(store, labId, id, readCmcAmendment(body, registry.newId)),
};

const sameCell = (key: string, x: string, y: string): boolean =>
  x === y || (DECIMAL_KEYS.has(key) && x !== '' && y !== '' && new Decimal(x).equals(new Decimal(y)));

/** The last content a history declares (the one before a withdrawal, for a withdrawn one). */
const lastState = <T>(history: readonly Version<T>[]): T =>
  [...history]
    .sort((a, b) => a.version - b.version)
    .filter((v) => v.state !== null)
    .at(-1)!.state!;

/**
 * A register of a lab's scopes or CMCs: one declaration a row. Imported by an
 * admin only, as the API's routes that write them are the admin's.
 */
export class DeclarationImporter<T extends LabScope | Cmc> implements Importer {
  constructor(
    private readonly declared: Declared<T>,
    private readonly registry: RegistryService,
    private readonly columns: TableColumns,
    private readonly labId: string | null,
  ) {}

  units(rows: readonly TableRow[]): TableRow[][] {
    return rows.map((r) => [r]);
  }

  /** A batch of rows, one after another: a row may amend what a row above it declared. */
  async batch(store: RegistryStore, units: readonly TableRow[][], write: boolean): Promise<RowReport[]> {
    const out: RowReport[] = [];
    for (const unit of units) out.push(await this.row(store, unit[0]!, write));
    return out;
  }

  /** The columns in which two contents of the same declaration differ. */
  private differing(registered: T, row: T): RegisterColumn[] {
    const a = this.declared.cells(registered);
    const b = this.declared.cells(row);
    return this.declared.columns.filter((c) => c.key in a && !NOT_COMPARED.has(c.key) && !sameCell(c.key, a[c.key]!, b[c.key]!));
  }

  private async existing(store: RegistryStore, t: T, byId: boolean): Promise<Version<T>[] | undefined> {
    if (byId) {
      const history = await this.declared.history(store, t.id);
      if (history && history[0]!.state!.labId !== t.labId) {
        fail(
          'DUPLICATE',
          '/id',
          `${this.declared.what} id '${t.id}' is taken by another lab's ${this.declared.what} ('${history[0]!.state!.labId}'); give this one another id, or leave the id blank`,
        );
      }
      return history;
    }
    const mine = this.declared.cells(t);
    return (await this.declared.histories(store, t.labId)).find((h) => {
      const theirs = this.declared.cells(lastState(h));
      return this.declared.key.every((k) => sameCell(k, theirs[k]!, mine[k]!));
    });
  }

  private async row(store: RegistryStore, row: TableRow, write: boolean): Promise<RowReport> {
    const { labId, effectiveFrom, reason, body } = declarationRowJson(this.columns.cellsOf(row), { labId: this.labId });
    let id: string | null = typeof body['id'] === 'string' ? body['id'] : null;
    const { what, path } = this.declared;
    try {
      if (labId === null) fail('MISSING_FIELD', '/labId', `name the lab whose ${what} this is: its organisation id in this row, or labId for the whole file`);
      const t = this.declared.parse(this.registry, body, labId);
      const history = await this.existing(store, t, body['id'] !== undefined);
      if (!history) {
        id = t.id;
        // a savepoint: a row refused by the database leaves the batch's transaction usable
        await store.transaction((s) => this.declared.declare(this.registry, s, t));
        return { row: row.number, status: write ? 'created' : 'valid', id, problems: [] };
      }
      id = history[0]!.subjectId;
      // a withdrawn declaration is never one the file restates unchanged: it is withdrawn, and stays so
      // (with a date the row asks for an amendment, which the amendment's own rules refuse)
      const latest = [...history].sort((a, b) => a.version - b.version).at(-1)!;
      if (latest.state === null && effectiveFrom === null) {
        const problem = new MetrologyError(
          'INVALID_TRANSITION',
          '/id',
          `${what} '${id}' of '${labId}' was withdrawn from ${latest.effectiveFrom}; a withdrawn ${what} is not amended or declared again: declare a new ${what} (another id) if it is in force again`,
        );
        return { row: row.number, status: 'conflict', id, problems: [this.columns.problem(row.number, problem)] };
      }
      const registered = lastState(history);
      const differ = this.differing(registered, { ...t, id });
      if (differ.length === 0) return { row: row.number, status: 'unchanged', id, problems: [] };
      const now = this.declared.cells(registered);
      const mine = this.declared.cells({ ...t, id });
      const was = differ.map((c) => `${headerIn(c, this.columns.lang)} '${now[c.key]}' (this row: '${mine[c.key]}')`).join(', ');
      const fixed = differ.filter((c) => !this.declared.amendable.has(c.key));
      if (fixed.length > 0) {
        const problem = new MetrologyError(
          'APPEND_ONLY',
          fixed[0]!.pointer,
          `${what} '${id}' of '${labId}' is declared with ${was}; its ${fixed.map((c) => headerIn(c, this.columns.lang)).join(' and ')} never change: withdraw it (POST /v1/organisations/${labId}/${path}/${id}/amendments) and declare a new ${what} (another id)`,
        );
        return { row: row.number, status: 'conflict', id, problems: [this.columns.problem(row.number, problem)] };
      }
      if (effectiveFrom === null) {
        const problem = new MetrologyError(
          'APPEND_ONLY',
          differ[0]!.pointer,
          `${what} '${id}' of '${labId}' is declared with ${was}; a ${what} is never overwritten: to append this as its new version, give the first day it is in force (column ${headerIn(this.columns.table.columns.find((c) => c.key === 'effectiveFrom')!, this.columns.lang)}), as POST /v1/organisations/${labId}/${path}/${id}/amendments does`,
        );
        return { row: row.number, status: 'conflict', id, problems: [this.columns.problem(row.number, problem)] };
      }
      await store.transaction((s) =>
        this.declared.amend(this.registry, s, labId, id!, this.amendmentOf(differ, this.declared.wire({ ...t, id: id! }), effectiveFrom, reason)),
      );
      return { row: row.number, status: write ? 'amended' : 'valid', id, problems: [] };
    } catch (e) {
      if (!(e instanceof MetrologyError)) throw e;
      // the lab is a path parameter of the API (a problem of it has no field there); here it is a column
      const pointer = e.path === '' && (e.code === 'NOT_FOUND' || e.code === 'WRONG_ORGANISATION_KIND') ? '/labId' : e.path;
      return { row: row.number, status: 'error', id, problems: [this.columns.problem(row.number, e, pointer)] };
    }
  }

  /** The amendment a changed row asks for: the fields that differ, as the row declares them (a range as a whole). */
  private amendmentOf(differ: readonly RegisterColumn[], wire: Record<string, unknown>, effectiveFrom: string, reason: string | null): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: 'amend', effectiveFrom };
    if (reason !== null) out['reason'] = reason;
    for (const c of differ) {
      const [field] = c.key.split('.') as [string];
      if (field in out) continue;
      // a field the row leaves blank is cleared (null), as the API clears it; the uncertainty given replaces the other form
      out[field] = wire[field] ?? null;
    }
    if (this.declared.what === 'CMC') {
      for (const k of ['expandedUncertainty', 'relativeExpandedUncertainty']) if (out[k] === null) delete out[k];
    }
    return out;
  }
}

/** The importer of a scope or CMC register. */
export function declarationImporter(kind: 'scopes' | 'cmcs', registry: RegistryService, columns: TableColumns, labId: string | null): Importer {
  return kind === 'scopes' ? new DeclarationImporter(SCOPES, registry, columns, labId) : new DeclarationImporter(CMCS, registry, columns, labId);
}
