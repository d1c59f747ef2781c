/**
 * API keys and the audit log over drizzle-orm.
 * @impure talks to the database.
 */
import { and, asc, eq, gt, gte, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { AccessStore, AuditEntry, AuditQuery, KeyPurpose, StoredAuditEntry, StoredKey } from '../app/ports.ts';
import type { Role } from '../core/access/roles.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { LedgerKeys } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import { rowsOf, type Db } from './db.ts';
import { rowJsonText } from './row-json.ts';
import { insertRows, runStatement } from './statement.ts';
import { appendToLedger } from './ledger-store.ts';
import { guarded } from './sql-helpers.ts';
import { apiKeys, auditLog } from './schema/access.ts';

type KeyRow = typeof apiKeys.$inferSelect;
/** A key by id as one JSON row, every column (timestamps and dates as their text, as drizzle reads them). */
const KEY_BY_ID = `select ${rowJsonText(apiKeys, 'k', { omit: [] })}::text as doc from api_keys k where k.id = $1`;
const toKey = (r: KeyRow): StoredKey => ({ ...r, role: r.role as Role, expiresOn: r.expiresOn as CalendarDate | null, purpose: r.purpose as KeyPurpose });

export class DrizzleAccessStore implements AccessStore {
  constructor(
    private readonly db: Db,
    private readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

  /** A key, and each change of it (its revocation), enters the ledger with it. */
  async insertKey(key: Omit<StoredKey, 'createdAt' | 'revokedAt'>): Promise<void> {
    await guarded(() =>
      this.db.transaction(async (tx0) => {
        const tx = tx0 as unknown as Db;
        await tx.insert(apiKeys).values({ ...key });
        await appendToLedger(tx, this.ledgerKeys, 'api_key', key.id);
      }),
    );
  }

  async getKey(id: string): Promise<StoredKey | undefined> {
    // every request with a key reads it: a statement written once (persistence/statement.ts)
    const found = rowsOf<{ doc: string }>(await runStatement(this.db, KEY_BY_ID, [id]))[0];
    return found && toKey(JSON.parse(found.doc) as KeyRow);
  }

  async listKeys(): Promise<StoredKey[]> {
    return (await this.db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))).map(toKey);
  }

  async revokeKey(id: string): Promise<boolean> {
    return guarded(() =>
      this.db.transaction(async (tx0) => {
        const tx = tx0 as unknown as Db;
        const rows = await tx
          .update(apiKeys)
          .set({ revokedAt: sql`now()` })
          .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
          .returning({ id: apiKeys.id });
        if (rows.length === 1) await appendToLedger(tx, this.ledgerKeys, 'api_key', id);
        return rows.length === 1;
      }),
    );
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    // every request that writes appends a line: a statement written once per set of fields
    await guarded(() => insertRows(this.db, auditLog, [{ ...entry, params: entry.params }]));
  }

  async queryAudit(q: AuditQuery): Promise<StoredAuditEntry[]> {
    const where: SQL[] = [];
    if (q.keyId !== undefined) where.push(eq(auditLog.keyId, q.keyId));
    if (q.organisationId !== undefined) where.push(eq(auditLog.organisationId, q.organisationId));
    if (q.afterSeq !== undefined) where.push(gt(auditLog.seq, q.afterSeq));
    if (q.from !== undefined) where.push(gte(auditLog.at, q.from));
    if (q.to !== undefined) where.push(lte(auditLog.at, q.to));
    const rows = await this.db
      .select()
      .from(auditLog)
      .where(and(...where))
      .orderBy(asc(auditLog.seq))
      .limit(q.limit);
    return rows.map((r) => ({
      ...r,
      role: r.role as Role | 'public',
      params: r.params as Record<string, string>,
      outcome: r.outcome as AuditEntry['outcome'],
    }));
  }
}
