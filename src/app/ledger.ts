/**
 * Verifying the evidence ledger: walks every entry in order, in batches (so a
 * ledger of millions is checked in bounded memory), checks each entry's MAC
 * under the ledger key ring, compares the chain with every anchor kept outside
 * the database, and reports the first broken link and any evidence that was
 * never entered. Also takes anchors: signs the head and appends it to the
 * anchor log.
 */
import {
  type Anchor,
  type BrokenLink,
  checkBatch,
  checkEnd,
  type CheckedRow,
  type LedgerCursor,
  type LedgerRow,
  macMessage,
  type MacStatus,
  START,
  type Witnesses,
} from '../core/ledger/chain.ts';
import type { AnchorLog, LedgerKeys, LedgerSeal, LedgerStore } from './ports.ts';

/** No ledger key: nothing is signed, and a verification says its MACs went unchecked. */
export const NO_LEDGER_KEYS: LedgerKeys = {
  signingKeyId: null,
  source: null,
  sign: () => null,
  check: () => 'unknown_key',
};

export interface LedgerReport {
  /** True when every entry checks (MACs too, when `authenticated`), agrees with every anchor, and no evidence is missing from the ledger. */
  readonly valid: boolean;
  /** True when the MACs were checked under a ledger key ring; false when no key was available, so an insider's rewrite could pass unseen. */
  readonly authenticated: boolean;
  /** One sentence saying what was and was not checked. */
  readonly summary: string;
  /** Entries checked before the first broken link (all of them when none). */
  readonly checked: number;
  /** The last good entry: its position and hash (quote it to prove the state later). */
  readonly head: { readonly seq: number; readonly hash: string };
  readonly broken: BrokenLink | null;
  readonly unledgered: { readonly count: number; readonly examples: ReadonlyArray<{ kind: string; id: string }> };
  /** Entries written before MACs existed, covered by one signed seal over the head at the upgrade. */
  readonly sealedAtUpgrade: { readonly throughSeq: number; readonly sealedAt: string | null; readonly keyId: string | null } | null;
  /** The anchors the chain was compared with. */
  readonly anchors: {
    /** Where they were read from; null when no anchor log was configured. */
    readonly source: string | null;
    readonly count: number;
    /** The newest anchor (the one that proves no entry up to it was removed). */
    readonly latest: Anchor | null;
  };
  /** The ledger key ring used: where from, and the key that signs now. */
  readonly keys: { readonly source: string | null; readonly signingKeyId: string | null };
}

export interface LedgerDeps {
  readonly keys?: LedgerKeys;
  readonly anchors?: AnchorLog | null;
  /** The clock for an anchor's time (ISO 8601). */
  readonly now?: () => string;
  /** The database this ledger is in, as its anchors name it (Anchor.of). */
  readonly database?: string;
}

export class LedgerService {
  private readonly keys: LedgerKeys;
  private readonly anchorLog: AnchorLog | null;
  private readonly now: () => string;
  private readonly database: string | undefined;

  constructor(
    private readonly store: LedgerStore,
    deps: LedgerDeps = {},
  ) {
    this.keys = deps.keys ?? NO_LEDGER_KEYS;
    this.anchorLog = deps.anchors ?? null;
    this.now = deps.now ?? (() => new Date().toISOString());
    this.database = deps.database;
  }

  async verify(opts: { batch?: number; onProgress?: (checked: number) => void; anchors?: readonly Anchor[] } = {}): Promise<LedgerReport> {
    const batch = opts.batch ?? 5000;
    const authenticated = this.keys.signingKeyId !== null;
    const anchorList = opts.anchors ?? (this.anchorLog ? await this.anchorLog.read() : []);
    const seals = await this.store.seals();
    const signedSeals = seals.filter((s) => s.mac !== null);
    let broken: BrokenLink | null = null;

    // A seal or an anchor counts only when its MAC checks (without a key, on its word).
    const badSeal = authenticated
      ? signedSeals.find((s) => this.keys.check(s.keyId!, macMessage.seal(s.throughSeq, s.throughHash), s.mac!) !== 'ok')
      : undefined;
    const badAnchor = authenticated ? anchorList.find((a) => this.keys.check(a.keyId, macMessage.anchor(a), a.mac) !== 'ok') : undefined;
    const trusted = anchorList.filter((a) => a !== badAnchor && (!authenticated || this.keys.check(a.keyId, macMessage.anchor(a), a.mac) === 'ok'));
    const witnesses: Witnesses = {
      seals: new Map(signedSeals.filter((s) => s !== badSeal).map((s) => [s.throughSeq, s.throughHash])),
      anchors: group(trusted),
      here: this.database,
    };
    const sealedThrough = Math.max(0, ...[...witnesses.seals.keys()]);
    const pendingSeal = seals.find((s) => s.mac === null);

    let cursor: LedgerCursor = START;
    for (;;) {
      const rows = await this.store.entries(cursor.lastSeq, batch);
      if (rows.length === 0) break;
      const step = checkBatch(
        cursor,
        rows.map((r) => ({ ...r, macStatus: this.macStatus(r, authenticated, sealedThrough) }) satisfies CheckedRow),
        witnesses,
      );
      cursor = step.cursor;
      opts.onProgress?.(cursor.checked);
      if (step.broken) {
        broken = step.broken;
        break;
      }
      if (rows.length < batch) break;
    }
    if (broken === null) broken = checkEnd(cursor, trusted, this.database);
    if (broken === null && badSeal) {
      broken = {
        seq: badSeal.throughSeq,
        kind: 'seal',
        entityId: String(badSeal.throughSeq),
        reason: 'mac',
        message: `the upgrade seal over entries 1–${badSeal.throughSeq} is not signed by this key ring: it was forged or its key is missing`,
      };
    }
    if (broken === null && badAnchor) {
      broken = {
        seq: badAnchor.seq,
        kind: 'anchor',
        entityId: badAnchor.at,
        reason: 'anchor_mac',
        message: `the anchor taken at ${badAnchor.at} (entry ${badAnchor.seq}) is not signed by this key ring: the anchor file was altered, or its key is missing`,
      };
    }
    const unledgered = await this.store.unledgered(10);
    const valid = broken === null && unledgered.count === 0;
    const latest = trusted.reduce<Anchor | null>((m, a) => (m === null || a.seq > m.seq || (a.seq === m.seq && a.at > m.at) ? a : m), null);
    const sealed = signedSeals.length > 0 ? signedSeals.reduce((m, s) => (s.throughSeq > m.throughSeq ? s : m)) : (pendingSeal ?? null);
    const report: Omit<LedgerReport, 'summary'> = {
      valid,
      authenticated,
      checked: cursor.checked,
      head: { seq: cursor.lastSeq, hash: cursor.lastHash },
      broken,
      unledgered,
      sealedAtUpgrade: sealed ? { throughSeq: sealed.throughSeq, sealedAt: sealed.sealedAt, keyId: sealed.keyId } : null,
      anchors: { source: this.anchorLog?.source ?? null, count: anchorList.length, latest },
      keys: { source: this.keys.source, signingKeyId: this.keys.signingKeyId },
    };
    return { ...report, summary: summarise(report, pendingSeal) };
  }

  /** Signs the head and appends it to the anchor log; null when the ledger is empty. */
  async anchor(log: AnchorLog | null = this.anchorLog): Promise<{ anchor: Anchor; source: string } | null> {
    if (!log) throw new Error('no anchor log is configured');
    const head = await this.store.head();
    if (!head) return null;
    const at = this.now();
    const of = this.database;
    const signed = this.keys.sign(macMessage.anchor({ seq: head.seq, hash: head.hash, at, of }));
    if (!signed) throw new Error('no ledger key is available to sign the anchor');
    const anchor: Anchor = { seq: head.seq, hash: head.hash, at, keyId: signed.keyId, mac: signed.mac, ...(of === undefined ? {} : { of }) };
    await log.append(anchor);
    return { anchor, source: log.source };
  }

  /** Anchors the head when it lies beyond `lastAnchoredSeq`; returns the anchor taken, or null. */
  async anchorIfMoved(lastAnchoredSeq: number, log: AnchorLog | null = this.anchorLog): Promise<Anchor | null> {
    const head = await this.store.head();
    if (!head || head.seq <= lastAnchoredSeq) return null;
    return (await this.anchor(log))?.anchor ?? null;
  }

  private macStatus(r: LedgerRow, authenticated: boolean, sealedThrough: number): MacStatus {
    if (!authenticated) return 'unchecked';
    if (r.mac === null) return r.seq <= sealedThrough ? 'sealed' : 'missing';
    return this.keys.check(r.mac.keyId, macMessage.entry(r.hash), r.mac.mac);
  }
}

function group(anchors: readonly Anchor[]): Map<number, Anchor[]> {
  const out = new Map<number, Anchor[]>();
  for (const a of anchors) {
    const list = out.get(a.seq);
    if (list) list.push(a);
    else out.set(a.seq, [a]);
  }
  return out;
}

function summarise(r: Omit<LedgerReport, 'summary'>, pendingSeal: LedgerSeal | undefined): string {
  const parts: string[] = [];
  if (r.broken) parts.push(`BROKEN at entry ${r.broken.seq} (${r.broken.reason}): ${r.broken.message}.`);
  else if (r.unledgered.count > 0) parts.push(`The chain holds, but ${r.unledgered.count} row(s) were never entered in the ledger.`);
  else parts.push(`All ${r.checked} entries check.`);
  if (!r.authenticated) {
    parts.push(
      "The MACs were NOT checked: no ledger key was available, so someone with database access could have rewritten the chain with the database's own functions and it would still check" +
        (r.anchors.count > 0 ? '; the anchors were compared by hash only.' : '.'),
    );
  } else {
    parts.push(`Every MAC was checked under the key ring ${r.keys.source ?? ''}`.trimEnd() + '.');
    if (r.sealedAtUpgrade && r.sealedAtUpgrade.keyId !== null)
      parts.push(
        `Entries 1–${r.sealedAtUpgrade.throughSeq}, written without a ledger key (before the upgrade to MACs, or into the demo prepared at build time), are covered by the seal signed at the first start with the key (${r.sealedAtUpgrade.sealedAt}).`,
      );
  }
  if (pendingSeal && r.authenticated)
    parts.push(
      `Entries 1–${pendingSeal.throughSeq} predate MACs and their seal is still unsigned: start the server (or run any metrotrace command) with the ledger key.`,
    );
  if (r.anchors.source === null) parts.push('No anchor log was configured: removing the newest entries could not be detected.');
  else if (r.anchors.latest === null)
    parts.push(`No anchor has been taken yet (${r.anchors.source}): removing the newest entries could not be detected; run \`metrotrace ledger anchor\`.`);
  else
    parts.push(
      `Compared with ${r.anchors.count} anchor(s) from ${r.anchors.source}; the latest, taken at ${r.anchors.latest.at}, holds entry ${r.anchors.latest.seq}.`,
    );
  return parts.join(' ');
}
