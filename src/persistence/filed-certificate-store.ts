/**
 * Certificates owners filed on a lab's behalf, and the decisions on them
 * (core/registry/filed-certificate.ts). Both tables are append-only.
 * @impure talks to the database.
 */
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { FiledCertificateFilter, FiledCertificateStore, Page, PageRequest } from '../app/ports.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { FiledCertificate, FiledDecision, NewFiledDecision } from '../core/registry/filed-certificate.ts';
import type { Db } from './db.ts';
import type { LedgerKeys } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { LedgerKind } from '../core/ledger/chain.ts';
import { writeEntered } from './ledger-store.ts';
import { filedCertificateDecisions, filedCertificates } from './schema/registry.ts';
import { conditions, equipmentVisible, page, sameIdentifier } from './sql-helpers.ts';

type Row = typeof filedCertificates.$inferSelect & { d: typeof filedCertificateDecisions.$inferSelect | null };

function fromRow(r: Row): FiledCertificate {
  const d = r.d;
  const decision: FiledDecision | null =
    d === null
      ? null
      : d.decision === 'confirmed'
        ? { decision: 'confirmed', recordId: d.recordId!, decidedByKey: d.decidedByKey, decidedByOrganisation: d.decidedByOrganisation, decidedAt: d.createdAt }
        : { decision: 'rejected', reason: d.reason!, decidedByKey: d.decidedByKey, decidedByOrganisation: d.decidedByOrganisation, decidedAt: d.createdAt };
  return {
    id: r.id,
    subjectId: r.subjectId,
    labId: r.labId,
    certificateNo: r.certificateNo,
    performedOn: r.performedOn as CalendarDate,
    filedBy: r.filedBy,
    filedByKey: r.filedByKey,
    filedAt: r.createdAt,
    request: r.request as Record<string, unknown>,
    unmapped: r.unmapped as string[],
    decision,
  };
}

export class DrizzleFiledCertificateStore implements FiledCertificateStore {
  constructor(
    private readonly db: Db,
    /** The ledger key ring the entries are signed with. */
    private readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

  /** Writes an entity and its ledger entry together (a savepoint inside a caller's transaction). */
  private entered(kind: LedgerKind, id: string, write: (db: Db) => Promise<unknown>): Promise<void> {
    return writeEntered(this.db, this.ledgerKeys, kind, id, write);
  }

  private select() {
    return this.db
      .select({ f: filedCertificates, d: filedCertificateDecisions })
      .from(filedCertificates)
      .leftJoin(filedCertificateDecisions, eq(filedCertificateDecisions.filedId, filedCertificates.id));
  }

  async insert(f: Omit<FiledCertificate, 'decision' | 'filedAt'>): Promise<void> {
    await this.entered('filed_certificate', f.id, (db) =>
      db.insert(filedCertificates).values({
        id: f.id,
        subjectId: f.subjectId,
        labId: f.labId,
        certificateNo: f.certificateNo,
        performedOn: f.performedOn,
        filedBy: f.filedBy,
        filedByKey: f.filedByKey,
        request: f.request,
        unmapped: f.unmapped,
      }),
    );
  }

  async get(id: string): Promise<FiledCertificate | undefined> {
    const rows = await this.select().where(eq(filedCertificates.id, id));
    return rows[0] && fromRow({ ...rows[0].f, d: rows[0].d });
  }

  async standingByCertificate(certificateNo: string): Promise<FiledCertificate | undefined> {
    const rows = await this.select()
      .where(
        conditions([
          sameIdentifier(filedCertificates.certificateNo, certificateNo),
          sql`(${filedCertificateDecisions.decision} is null or ${filedCertificateDecisions.decision} = 'confirmed')`,
        ]),
      )
      .limit(1);
    return rows[0] && fromRow({ ...rows[0].f, d: rows[0].d });
  }

  async list(filter: FiledCertificateFilter, req: PageRequest): Promise<Page<FiledCertificate>> {
    const scope = filter.visibleTo;
    const visible =
      scope === undefined || scope.kind === 'all'
        ? undefined
        : sql`(${scope.kind === 'lab' ? sql`${filedCertificates.labId} = ${scope.organisationId} or ` : sql``}exists (select 1 from equipment ve where ve.id = ${filedCertificates.subjectId} and ${equipmentVisible(scope, sql`ve.id`, sql`ve.owner_id`)}))`;
    const state =
      filter.state === undefined
        ? undefined
        : filter.state === 'pending'
          ? sql`${filedCertificateDecisions.decision} is null`
          : eq(filedCertificateDecisions.decision, filter.state);
    const rows = await this.select()
      .where(
        conditions([
          filter.subjectId === undefined ? undefined : eq(filedCertificates.subjectId, filter.subjectId),
          filter.labId === undefined ? undefined : eq(filedCertificates.labId, filter.labId),
          state,
          visible,
          req.after === null ? undefined : gt(filedCertificates.id, req.after),
        ]),
      )
      .orderBy(asc(filedCertificates.id))
      .limit(req.limit + 1);
    return page(
      rows.map((r) => fromRow({ ...r.f, d: r.d })),
      req.limit,
    );
  }

  async decide(filedId: string, d: NewFiledDecision): Promise<void> {
    await this.entered('filed_decision', filedId, (db) =>
      db.insert(filedCertificateDecisions).values({
        filedId,
        decision: d.decision,
        recordId: d.decision === 'confirmed' ? d.recordId : null,
        reason: d.decision === 'rejected' ? d.reason : null,
        decidedByKey: d.decidedByKey,
        decidedByOrganisation: d.decidedByOrganisation,
      }),
    );
  }
}
