/**
 * The evidence ledger's service over one database, with its key ring and
 * anchor log: what createServices builds, and all `metrotrace verify-ledger`
 * and `ledger anchor` need.
 */
import { LedgerService, NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { AnchorLog, LedgerKeys } from '../app/ports.ts';
import type { Db } from '../persistence/db.ts';
import { DrizzleLedgerStore } from '../persistence/ledger-store.ts';

/** The ledger's key ring and anchor log, both kept outside the database (runtime/ledger-keys.ts). */
export interface LedgerSetup {
  /** Every ledger entry written is signed with the ring's newest key; without one, entries go unsigned and verification says it could not check MACs. */
  readonly keys?: LedgerKeys;
  readonly anchors?: AnchorLog | null;
  /** The database, as its anchors name it (runtime/ledger-keys.ts databaseName). */
  readonly database?: string;
}

export function createLedgerService(db: Db, setup: LedgerSetup = {}): LedgerService {
  return new LedgerService(new DrizzleLedgerStore(db), {
    keys: setup.keys ?? NO_LEDGER_KEYS,
    anchors: setup.anchors ?? null,
    ...(setup.database === undefined ? {} : { database: setup.database }),
  });
}
