/**
 * Energy-metering inventories and audits over drizzle-orm.
 * @impure talks to the database.
 */
import { asc, desc, eq } from 'drizzle-orm';
import type { EnergyStore, RegistryStore, StoredAudit, StoredInventory } from '../app/ports.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { Db } from './db.ts';
import type { LedgerKeys } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import { appendToLedger } from './ledger-store.ts';
import { DrizzleRegistryStore } from './registry-store.ts';
import { guarded } from './sql-helpers.ts';
import { energyAudits, energyInventories } from './schema/energy.ts';

export class DrizzleEnergyStore implements EnergyStore {
  constructor(
    private readonly db: Db,
    private readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

  transaction<T>(work: (store: EnergyStore, registry: RegistryStore) => Promise<T>): Promise<T> {
    return guarded(() =>
      this.db.transaction((tx) =>
        work(new DrizzleEnergyStore(tx as unknown as Db, this.ledgerKeys), new DrizzleRegistryStore(tx as unknown as Db, this.ledgerKeys)),
      ),
    );
  }

  async insertInventory(inv: Omit<StoredInventory, 'createdAt'>): Promise<void> {
    await guarded(() =>
      this.db.insert(energyInventories).values({ id: inv.id, organisationId: inv.organisationId, version: inv.version, document: inv.document }),
    );
  }

  async latestInventory(organisationId: string): Promise<StoredInventory | undefined> {
    const rows = await this.db
      .select()
      .from(energyInventories)
      .where(eq(energyInventories.organisationId, organisationId))
      .orderBy(desc(energyInventories.version))
      .limit(1);
    return rows[0];
  }

  async getInventory(id: string): Promise<StoredInventory | undefined> {
    const rows = await this.db.select().from(energyInventories).where(eq(energyInventories.id, id));
    return rows[0];
  }

  async insertAudit(a: Omit<StoredAudit, 'createdAt'>): Promise<void> {
    await guarded(async () => {
      await this.db.insert(energyAudits).values({ ...a });
      await appendToLedger(this.db, this.ledgerKeys, 'energy_audit', a.id);
    });
  }

  async getAudit(id: string): Promise<StoredAudit | undefined> {
    const rows = await this.db.select().from(energyAudits).where(eq(energyAudits.id, id));
    return rows[0] && { ...rows[0], at: rows[0].at as CalendarDate };
  }

  async listAudits(organisationId: string): Promise<StoredAudit[]> {
    const rows = await this.db
      .select()
      .from(energyAudits)
      .where(eq(energyAudits.organisationId, organisationId))
      .orderBy(asc(energyAudits.at), asc(energyAudits.id));
    return rows.map((r) => ({ ...r, at: r.at as CalendarDate }));
  }
}
