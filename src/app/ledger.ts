/**
 * Verifying the evidence ledger: walks every entry in order, in batches (so a
 * ledger of millions is checked in bounded memory), and reports the first
 * broken link, and any evidence that was never entered.
 */
import { type BrokenLink, checkBatch, type LedgerCursor, START } from '../core/ledger/chain.ts';
import type { LedgerStore } from './ports.ts';

export interface LedgerReport {
  /** True when every entry checks and no evidence is missing from the ledger. */
  readonly valid: boolean;
  /** Entries checked before the first broken link (all of them when none). */
  readonly checked: number;
  /** The last good entry: its position and hash (quote it to prove the state later). */
  readonly head: { readonly seq: number; readonly hash: string };
  readonly broken: BrokenLink | null;
  readonly unledgered: { readonly count: number; readonly examples: ReadonlyArray<{ kind: string; id: string }> };
}

export class LedgerService {
  constructor(private readonly store: LedgerStore) {}

  async verify(opts: { batch?: number; onProgress?: (checked: number) => void } = {}): Promise<LedgerReport> {
    const batch = opts.batch ?? 5000;
    let cursor: LedgerCursor = START;
    let broken: BrokenLink | null = null;
    for (;;) {
      const rows = await this.store.entries(cursor.lastSeq, batch);
      if (rows.length === 0) break;
      const step = checkBatch(cursor, rows);
      cursor = step.cursor;
      opts.onProgress?.(cursor.checked);
      if (step.broken) {
        broken = step.broken;
        break;
      }
      if (rows.length < batch) break;
    }
    const unledgered = await this.store.unledgered(10);
    return { valid: broken === null && unledgered.count === 0, checked: cursor.checked, head: { seq: cursor.lastSeq, hash: cursor.lastHash }, broken, unledgered };
  }
}
