/**
 * Checking the evidence ledger: every entry must follow the one before it
 * (consecutive position, the previous entry's hash), carry its own hash
 * correctly, be authenticated by its MAC (or lie under a signed seal), agree
 * with every anchor kept outside the database at its position, and — when it
 * is the latest entry of its entity — hash the content the entity has now.
 * The first entry that fails is the broken link; everything after it is
 * unproven. The hashes are computed by the database and the MACs checked by
 * the caller (one definition for writer and verifier); this module only
 * compares, and defines what a MAC signs.
 */
export const LEDGER_KINDS = [
  'record',
  'record_sidecar',
  'tolerance_finding',
  'energy_audit',
  'organisation',
  'scope',
  'cmc',
  'equipment',
  'api_key',
  'equipment_event',
  'filed_certificate',
  'filed_decision',
  'scope_amendment',
  'cmc_amendment',
  'in_use_inspection',
  'spot_check_plan',
  'spot_check_closure',
  'integrity_measure',
  'meter_lot',
  'lot_sampling_plan',
  'lot_sampling_result',
  'lot_rotation',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);

/**
 * What the ledger key signs (HMAC-SHA256): an entry's hash (64 hex digits, as
 * is), a seal over the entries written before MACs existed, an anchor of the
 * head. The prefixes keep the three apart: no MAC of one is a MAC of another.
 */
export const macMessage = {
  entry: (hash: string): string => hash,
  seal: (seq: number, hash: string): string => `seal|${seq}|${hash}`,
  anchor: (a: { seq: number; hash: string; at: string; of?: string | undefined }): string =>
    `anchor|${a.seq}|${a.hash}|${a.at}${a.of === undefined ? '' : `|${a.of}`}`,
};

/** How an entry's MAC checked: 'unchecked' when no ledger key was available to the verifier. */
export type MacStatus = 'ok' | 'sealed' | 'missing' | 'bad' | 'unknown_key' | 'unchecked';

export interface LedgerRow {
  readonly seq: number;
  readonly kind: string;
  readonly entityId: string;
  readonly contentHash: string;
  readonly prevHash: string;
  readonly hash: string;
  /** Whether this is the latest entry of its entity (only the latest must match the stored content). */
  readonly latest: boolean;
  /** The hash of the entity's content as stored now; null when the entity is gone (or the entry is not the latest). */
  readonly actualContentHash: string | null;
  /** The entry's own hash recomputed from its fields. */
  readonly actualHash: string;
  /** The entry's MAC as stored: the key id and the MAC, or null when there is none. */
  readonly mac: { readonly keyId: string; readonly mac: string } | null;
}

/** A row as the checker sees it: with its MAC's status, judged by the caller. */
export interface CheckedRow extends LedgerRow {
  readonly macStatus: MacStatus;
}

export type BreakReason =
  | 'gap'
  | 'prev_hash'
  | 'entry_hash'
  | 'mac'
  | 'content_changed'
  | 'entity_missing'
  | 'anchor_mismatch'
  | 'behind_anchor'
  | 'anchor_mac';
export const BREAK_REASONS: readonly BreakReason[] = [
  'gap',
  'prev_hash',
  'entry_hash',
  'mac',
  'content_changed',
  'entity_missing',
  'anchor_mismatch',
  'behind_anchor',
  'anchor_mac',
];

export interface BrokenLink {
  readonly seq: number;
  readonly kind: string;
  readonly entityId: string;
  readonly reason: BreakReason;
  readonly message: string;
}

/** A signed head kept outside the database. */
export interface Anchor {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly keyId: string;
  readonly mac: string;
  /**
   * The database whose ledger was anchored (`postgres://host:port/name`,
   * `embedded <dir>`), signed with the rest; absent in anchors taken before
   * anchors named it. It never excuses a mismatch (a restored copy is another
   * database with the same ledger); it only says, beside one, that the
   * anchor log may be shared with another ledger.
   */
  readonly of?: string;
}

/** What the entries are compared with besides themselves: hashes fixed at positions by seals and anchors. */
export interface Witnesses {
  /** position → the hash a signed seal fixed there. */
  readonly seals: ReadonlyMap<number, string>;
  /** position → the anchors (trusted ones) that fixed a hash there. */
  readonly anchors: ReadonlyMap<number, readonly Anchor[]>;
  /** The database being checked, as anchors name it (Anchor.of). */
  readonly here?: string | undefined;
}

export const NO_WITNESSES: Witnesses = { seals: new Map(), anchors: new Map() };

/** Where a check stands between batches. */
export interface LedgerCursor {
  readonly checked: number;
  readonly lastSeq: number;
  readonly lastHash: string;
}

export const START: LedgerCursor = { checked: 0, lastSeq: 0, lastHash: GENESIS };

const MAC_PROBLEM: Partial<Record<MacStatus, string>> = {
  missing: 'has no MAC: it was not written by the application holding the ledger key (or its MAC was removed)',
  bad: 'has a MAC that does not match it: the entry (or the chain up to it) was rewritten without the ledger key',
  unknown_key: 'is signed with a ledger key id this key ring does not hold (is a key missing from the key file?)',
};

/** Checks a batch of consecutive entries; returns the cursor after them, or the first broken link. */
export function checkBatch(
  cursor: LedgerCursor,
  rows: readonly CheckedRow[],
  witnesses: Witnesses = NO_WITNESSES,
): { cursor: LedgerCursor; broken: BrokenLink | null } {
  let { checked, lastSeq, lastHash } = cursor;
  for (const r of rows) {
    const at = (reason: BreakReason, message: string) => ({
      cursor: { checked, lastSeq, lastHash },
      broken: { seq: r.seq, kind: r.kind, entityId: r.entityId, reason, message },
    });
    if (r.seq !== lastSeq + 1) return at('gap', `entry ${lastSeq + 1} is missing: the entry after ${lastSeq} is ${r.seq}`);
    if (r.prevHash !== lastHash) return at('prev_hash', `entry ${r.seq} does not follow entry ${lastSeq}: it names a different previous hash`);
    if (r.actualHash !== r.hash) return at('entry_hash', `entry ${r.seq} has been altered: its hash does not match its fields`);
    const problem = MAC_PROBLEM[r.macStatus];
    if (problem) return at('mac', `entry ${r.seq} ${problem}`);
    const sealed = witnesses.seals.get(r.seq);
    if (sealed !== undefined && sealed !== r.hash)
      return at('mac', `entry ${r.seq} is not the entry the upgrade seal signed: the entries before MACs existed were rewritten`);
    for (const a of witnesses.anchors.get(r.seq) ?? []) {
      if (a.hash !== r.hash) return at('anchor_mismatch', anchorMismatch(r.seq, a, witnesses.here));
    }
    if (r.latest) {
      if (r.actualContentHash === null) return at('entity_missing', `the ${r.kind} '${r.entityId}' of entry ${r.seq} is no longer stored`);
      if (r.actualContentHash !== r.contentHash) return at('content_changed', `the ${r.kind} '${r.entityId}' has changed since entry ${r.seq} recorded it`);
    }
    checked++;
    lastSeq = r.seq;
    lastHash = r.hash;
  }
  return { cursor: { checked, lastSeq, lastHash }, broken: null };
}

function anchorMismatch(seq: number, a: Anchor, here: string | undefined): string {
  return orShared(
    `entry ${seq} is not the entry anchored at ${a.at} (hash ${a.hash.slice(0, 12)}…): the ledger was rewritten after that anchor was taken`,
    a,
    here,
  );
}

/** What a broken anchor says, and — when the anchor names another database — that the log may mix two ledgers (never an excuse). */
function orShared(said: string, a: Anchor, here: string | undefined): string {
  if (a.of === undefined || here === undefined || a.of === here) return said;
  return `${said}, or the anchor log is shared with another ledger: that anchor was taken of ${a.of}, this is ${here}. A restored copy is checked against its original's anchors and must agree; if the log mixes two ledgers by mistake, give each its own (METROTRACE_LEDGER_ANCHORS) and check this one against the anchors taken of it`;
}

/** After the last entry: an anchor beyond it proves entries were removed from the end. */
export function checkEnd(cursor: LedgerCursor, anchors: Iterable<Anchor>, here?: string): BrokenLink | null {
  let beyond: Anchor | null = null;
  for (const a of anchors) if (a.seq > cursor.lastSeq && (beyond === null || a.seq > beyond.seq)) beyond = a;
  if (beyond === null) return null;
  return {
    seq: beyond.seq,
    kind: 'anchor',
    entityId: beyond.at,
    reason: 'behind_anchor',
    message: orShared(
      `the ledger ends at entry ${cursor.lastSeq}, but the anchor taken at ${beyond.at} holds entry ${beyond.seq}: entries were removed from the end`,
      beyond,
      here,
    ),
  };
}
