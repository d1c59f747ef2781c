/**
 * One transaction over every store.
 * @impure talks to the database.
 */
import type { LedgerKeys, Stores, UnitOfWork } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { Db } from './db.ts';
import { DrizzleEnergyStore } from './energy-store.ts';
import { DrizzleFiledCertificateStore } from './filed-certificate-store.ts';
import { DrizzleRegistryStore } from './registry-store.ts';
import { guarded } from './sql-helpers.ts';
import { DrizzleVerificationStore } from './verification-store.ts';
import { DrizzleSupervisionStore } from './supervision-store.ts';

export function storesOver(db: Db, keys: LedgerKeys = NO_LEDGER_KEYS): Stores {
  return {
    supervision: new DrizzleSupervisionStore(db, keys),
    registry: new DrizzleRegistryStore(db, keys),
    filed: new DrizzleFiledCertificateStore(db, keys),
    verification: new DrizzleVerificationStore(db, keys),
    energy: new DrizzleEnergyStore(db, keys),
  };
}

export class DrizzleUnitOfWork implements UnitOfWork {
  constructor(
    private readonly db: Db,
    private readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T> {
    return guarded(() => this.db.transaction((tx) => work(storesOver(tx as unknown as Db, this.ledgerKeys))));
  }
}
