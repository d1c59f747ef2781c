/**
 * Checking the evidence ledger: every entry must follow the one before it
 * (consecutive position, the previous entry's hash), carry its own hash
 * correctly, and hash the content its entity has now. The first entry that
 * fails is the broken link; everything after it is unproven. The hashes are
 * computed by the database (one definition for writer and verifier); this
 * module only compares.
 */
export const LEDGER_KINDS = ['record', 'record_sidecar', 'tolerance_finding', 'energy_audit'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);

export interface LedgerRow {
  readonly seq: number;
  readonly kind: string;
  readonly entityId: string;
  readonly contentHash: string;
  readonly prevHash: string;
  readonly hash: string;
  /** The hash of the entity's content as stored now; null when the entity is gone. */
  readonly actualContentHash: string | null;
  /** The entry's own hash recomputed from its fields. */
  readonly actualHash: string;
}

export type BreakReason = 'gap' | 'prev_hash' | 'entry_hash' | 'content_changed' | 'entity_missing';

export interface BrokenLink {
  readonly seq: number;
  readonly kind: string;
  readonly entityId: string;
  readonly reason: BreakReason;
  readonly message: string;
}

/** Where a check stands between batches. */
export interface LedgerCursor {
  readonly checked: number;
  readonly lastSeq: number;
  readonly lastHash: string;
}

export const START: LedgerCursor = { checked: 0, lastSeq: 0, lastHash: GENESIS };

/** Checks a batch of consecutive entries; returns the cursor after them, or the first broken link. */
export function checkBatch(cursor: LedgerCursor, rows: readonly LedgerRow[]): { cursor: LedgerCursor; broken: BrokenLink | null } {
  let { checked, lastSeq, lastHash } = cursor;
  for (const r of rows) {
    const at = (reason: BreakReason, message: string) => ({ cursor: { checked, lastSeq, lastHash }, broken: { seq: r.seq, kind: r.kind, entityId: r.entityId, reason, message } });
    if (r.seq !== lastSeq + 1) return at('gap', `entry ${lastSeq + 1} is missing: the entry after ${lastSeq} is ${r.seq}`);
    if (r.prevHash !== lastHash) return at('prev_hash', `entry ${r.seq} does not follow entry ${lastSeq}: it names a different previous hash`);
    if (r.actualHash !== r.hash) return at('entry_hash', `entry ${r.seq} has been altered: its hash does not match its fields`);
    if (r.actualContentHash === null) return at('entity_missing', `the ${r.kind} '${r.entityId}' of entry ${r.seq} is no longer stored`);
    if (r.actualContentHash !== r.contentHash) return at('content_changed', `the ${r.kind} '${r.entityId}' has changed since entry ${r.seq} recorded it`);
    checked++;
    lastSeq = r.seq;
    lastHash = r.hash;
  }
  return { cursor: { checked, lastSeq, lastHash }, broken: null };
}
