/**
 * The evidence ledger in the database: appending an entry with its MAC in the
 * writer's transaction, signing the seal over entries written before MACs
 * existed, and reading entries for verification. The content and entry hashes
 * are recomputed by the same SQL functions that wrote them (migrations 0018,
 * 0023); the MACs are made and checked by the application, under a key the
 * database never holds.
 * @impure talks to the database.
 */
import { sql } from 'drizzle-orm';
import type { LedgerKeys, LedgerSeal, LedgerStore } from '../app/ports.ts';
import { type LedgerKind, type LedgerRow, macMessage } from '../core/ledger/chain.ts';
import { rowsOf, type Db } from './db.ts';
import { guarded, textArray } from './sql-helpers.ts';

/**
 * Enters an entity written in the caller's transaction into the evidence
 * ledger (its content hash and the link to the entry before), and stores the
 * entry's MAC under the signing ledger key. Committed with the entity or not
 * at all. Without a key the entry goes unsigned (and a verification with the
 * key names it). The entry metrotrace_ledger_append makes, made by
 * metrotrace_ledger_append_many (migration 0038: the same content and link
 * hashes), which answers the entry's hash with its position: one statement
 * fewer while the writer holds the ledger's lock.
 */
export function appendToLedger(db: Db, keys: LedgerKeys, kind: LedgerKind, id: string): Promise<void> {
  return appendManyToLedger(db, keys, kind, [id]);
}

/**
 * Enters many entities of one kind written in the caller's transaction, in
 * the order given: the entries appendToLedger would make one by one
 * (metrotrace_ledger_append_many, migration 0038: the same content and link
 * hashes), made by one call, and their MACs stored by one insert. Committed
 * with the entities or not at all.
 */
export async function appendManyToLedger(db: Db, keys: LedgerKeys, kind: LedgerKind, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const entries = rowsOf<{ seq: string; hash: string }>(
    await db.execute(sql`select seq::text as seq, hash from metrotrace_ledger_append_many(${kind}, ${textArray(ids)}::text[])`),
  );
  if (keys.signingKeyId === null) return;
  const signed = entries.map((e) => ({ seq: e.seq, ...keys.sign(macMessage.entry(e.hash))! }));
  await db.execute(sql`insert into ledger_macs (seq, key_id, mac)
    select s, k, m from unnest(${textArray(signed.map((e) => e.seq))}::bigint[], ${textArray(signed.map((e) => e.keyId))}::text[], ${textArray(signed.map((e) => e.mac))}::text[]) as t(s, k, m)`);
}

/**
 * Writes an entity and its ledger entry together: in a savepoint of the
 * caller's transaction, so both land or neither does.
 */
export function writeEntered(db: Db, keys: LedgerKeys, kind: LedgerKind, id: string, write: (db: Db) => Promise<unknown>): Promise<void> {
  return guarded(() =>
    db.transaction(async (tx0) => {
      const tx = tx0 as unknown as Db;
      await write(tx);
      await appendToLedger(tx, keys, kind, id);
    }),
  );
}

/**
 * Signs the seal the upgrade to MACs left awaiting a key (migration 0023, or
 * an import of an export made before it): one MAC over the head of the
 * entries written before MACs existed, which the hash chain extends to all of
 * them. Done once: never while a signed seal exists, once any entry carries
 * a MAC of its own, or once the anchor log outside the database holds an
 * anchor (`anchored`: MACs existed then, so a pending seal now is forged — a
 * database whose MACs and seal were removed is not re-sealed).
 * Returns the seal signed, or null.
 */
export async function sealUpgrade(db: Db, keys: LedgerKeys, opts: { anchored?: boolean } = {}): Promise<LedgerSeal | null> {
  if (keys.signingKeyId === null || opts.anchored === true) return null;
  return db.transaction(async (tx0) => {
    const tx = tx0 as unknown as Db;
    const pending = await readSeals(tx);
    const open = pending.find((s) => s.mac === null);
    if (!open || pending.some((s) => s.mac !== null)) return null;
    const macs = rowsOf<{ any: boolean }>(await tx.execute(sql`select exists (select 1 from ledger_macs) as any`))[0]!.any;
    if (macs) return null;
    const signed = keys.sign(macMessage.seal(open.throughSeq, open.throughHash))!;
    const rows = rowsOf<{ sealedAt: string }>(
      await tx.execute(sql`update ledger_seals set key_id = ${signed.keyId}, mac = ${signed.mac}, sealed_at = now()
        where through_seq = ${open.throughSeq} and mac is null returning sealed_at::text as "sealedAt"`),
    );
    return rows[0] ? { ...open, keyId: signed.keyId, mac: signed.mac, sealedAt: rows[0].sealedAt } : null;
  });
}

async function readSeals(db: Db): Promise<LedgerSeal[]> {
  const rows = rowsOf<{ throughSeq: string; throughHash: string; keyId: string | null; mac: string | null; sealedAt: string | null }>(
    await db.execute(
      sql`select through_seq::text as "throughSeq", through_hash as "throughHash", key_id as "keyId", mac, sealed_at::text as "sealedAt" from ledger_seals order by through_seq`,
    ),
  );
  return rows.map((r) => ({ ...r, throughSeq: Number(r.throughSeq) }));
}

/**
 * Where each ledger kind's entities are stored (table and id column), for the
 * check that every row was entered: keyed by LEDGER_KINDS, so a new kind must
 * say here whether and where it is checked. null: kinds this check has not
 * covered so far (supervision and lots); covering them is a change of what
 * verification reports, left to its own commit.
 */
const LEDGERED: Record<LedgerKind, { readonly table: string; readonly id: string } | null> = {
  record: { table: 'calibration_records', id: 'id' },
  record_sidecar: { table: 'record_sidecars', id: 'record_id' },
  tolerance_finding: { table: 'tolerance_findings', id: 'id' },
  energy_audit: { table: 'energy_audits', id: 'id' },
  organisation: { table: 'organisations', id: 'id' },
  scope: { table: 'lab_scopes', id: 'id' },
  cmc: { table: 'lab_cmcs', id: 'id' },
  equipment: { table: 'equipment', id: 'id' },
  api_key: { table: 'api_keys', id: 'id' },
  equipment_event: { table: 'equipment_events', id: 'id' },
  filed_certificate: { table: 'filed_certificates', id: 'id' },
  filed_decision: { table: 'filed_certificate_decisions', id: 'filed_id' },
  scope_amendment: { table: 'lab_scope_versions', id: 'id' },
  cmc_amendment: { table: 'lab_cmc_versions', id: 'id' },
  in_use_inspection: null,
  spot_check_plan: null,
  spot_check_closure: null,
  integrity_measure: null,
  meter_lot: null,
  lot_sampling_plan: null,
  lot_sampling_result: null,
  lot_rotation: null,
};

export class DrizzleLedgerStore implements LedgerStore {
  constructor(private readonly db: Db) {}

  async entries(afterSeq: number, limit: number): Promise<LedgerRow[]> {
    // Only the latest entry of an entity is compared with what is stored now; earlier ones are its history.
    const result = await this.db.execute(sql`
      select l.seq::text as seq, l.kind, l.entity_id as "entityId", l.content_hash as "contentHash", l.prev_hash as "prevHash", l.hash, x.latest,
             case when x.latest then metrotrace_sha256(metrotrace_ledger_content(l.kind, l.entity_id)) end as "actualContentHash",
             metrotrace_ledger_link(l.seq, l.kind, l.entity_id, l.content_hash, l.prev_hash) as "actualHash",
             m.key_id as "macKeyId", m.mac
      from ledger l
      cross join lateral (select not exists (select 1 from ledger l2 where l2.kind = l.kind and l2.entity_id = l.entity_id and l2.seq > l.seq) as latest) x
      left join ledger_macs m on m.seq = l.seq
      where l.seq > ${afterSeq} order by l.seq limit ${limit}`);
    type Row = Omit<LedgerRow, 'seq' | 'mac'> & { seq: string; macKeyId: string | null; mac: string | null };
    return rowsOf<Row>(result).map((r) => ({
      seq: Number(r.seq),
      kind: r.kind,
      entityId: r.entityId,
      contentHash: r.contentHash,
      prevHash: r.prevHash,
      hash: r.hash,
      latest: r.latest,
      actualContentHash: r.actualContentHash,
      actualHash: r.actualHash,
      mac: r.macKeyId === null || r.mac === null ? null : { keyId: r.macKeyId, mac: r.mac },
    }));
  }

  async unledgered(limit: number): Promise<{ count: number; examples: Array<{ kind: string; id: string }> }> {
    const checked = Object.entries(LEDGERED).filter((e): e is [string, { table: string; id: string }] => e[1] !== null);
    const missing = sql.join(
      checked.map(
        ([kind, { table, id }]) =>
          sql`select ${kind}::text as kind, t.${sql.identifier(id)} as id from ${sql.identifier(table)} t where not exists (select 1 from ledger l where l.kind = ${kind} and l.entity_id = t.${sql.identifier(id)})`,
      ),
      sql` union all `,
    );
    const [count, examples] = await Promise.all([
      this.db.execute(sql`select count(*)::int as n from (${missing}) m`),
      this.db.execute(sql`select kind, id from (${missing}) m order by kind, id limit ${limit}`),
    ]);
    return {
      count: Number(rowsOf<{ n: number }>(count)[0]!.n),
      examples: rowsOf<{ kind: string; id: string }>(examples).map((e) => ({ kind: e.kind, id: e.id })),
    };
  }

  seals(): Promise<LedgerSeal[]> {
    return readSeals(this.db);
  }

  async head(): Promise<{ seq: number; hash: string } | null> {
    const r = rowsOf<{ seq: string; hash: string }>(await this.db.execute(sql`select l.seq::text as seq, l.hash from ledger l order by l.seq desc limit 1`))[0];
    return r ? { seq: Number(r.seq), hash: r.hash } : null;
  }
}
