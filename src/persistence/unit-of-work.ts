/**
 * One transaction over every store.
 * @impure talks to the database.
 */
import type { Stores, UnitOfWork } from '../app/ports.ts';
import type { Db } from './db.ts';
import { DrizzleEnergyStore } from './energy-store.ts';
import { DrizzleFiledCertificateStore } from './filed-certificate-store.ts';
import { DrizzleRegistryStore, guarded } from './registry-store.ts';
import { DrizzleVerificationStore } from './verification-store.ts';

export function storesOver(db: Db): Stores {
  return { registry: new DrizzleRegistryStore(db), filed: new DrizzleFiledCertificateStore(db), verification: new DrizzleVerificationStore(db), energy: new DrizzleEnergyStore(db) };
}

export class DrizzleUnitOfWork implements UnitOfWork {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T> {
    return guarded(() => this.db.transaction((tx) => work(storesOver(tx as unknown as Db))));
  }
}
