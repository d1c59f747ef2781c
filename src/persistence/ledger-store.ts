/**
 * Reading the evidence ledger for verification. The content and entry hashes
 * are recomputed by the same SQL functions that wrote them (migration 0018).
 * @impure talks to the database.
 */
import { sql } from 'drizzle-orm';
import type { LedgerStore } from '../app/ports.ts';
import type { LedgerRow } from '../core/ledger/chain.ts';
import { rowsOf, type Db } from './db.ts';


export class DrizzleLedgerStore implements LedgerStore {
  constructor(private readonly db: Db) {}

  async entries(afterSeq: number, limit: number): Promise<LedgerRow[]> {
    const result = await this.db.execute(sql`
      select l.seq::text as seq, l.kind, l.entity_id as "entityId", l.content_hash as "contentHash", l.prev_hash as "prevHash", l.hash,
             metrotrace_sha256(metrotrace_ledger_content(l.kind, l.entity_id)) as "actualContentHash",
             metrotrace_ledger_link(l.seq, l.kind, l.entity_id, l.content_hash, l.prev_hash) as "actualHash"
      from ledger l where l.seq > ${afterSeq} order by l.seq limit ${limit}`);
    return rowsOf<LedgerRow & { seq: string }>(result).map((r) => ({
      seq: Number(r.seq),
      kind: r.kind,
      entityId: r.entityId,
      contentHash: r.contentHash,
      prevHash: r.prevHash,
      hash: r.hash,
      actualContentHash: r.actualContentHash,
      actualHash: r.actualHash,
    }));
  }

  async unledgered(limit: number): Promise<{ count: number; examples: Array<{ kind: string; id: string }> }> {
    const missing = sql`
      select 'record' as kind, r.id from calibration_records r where not exists (select 1 from ledger l where l.kind = 'record' and l.entity_id = r.id)
      union all select 'record_sidecar', s.record_id from record_sidecars s where not exists (select 1 from ledger l where l.kind = 'record_sidecar' and l.entity_id = s.record_id)
      union all select 'tolerance_finding', t.id from tolerance_findings t where not exists (select 1 from ledger l where l.kind = 'tolerance_finding' and l.entity_id = t.id)
      union all select 'energy_audit', a.id from energy_audits a where not exists (select 1 from ledger l where l.kind = 'energy_audit' and l.entity_id = a.id)`;
    const [count, examples] = await Promise.all([
      this.db.execute(sql`select count(*)::int as n from (${missing}) m`),
      this.db.execute(sql`select kind, id from (${missing}) m order by kind, id limit ${limit}`),
    ]);
    return { count: Number(rowsOf<{ n: number }>(count)[0]!.n), examples: rowsOf<{ kind: string; id: string }>(examples).map((e) => ({ kind: e.kind, id: e.id })) };
  }
}
