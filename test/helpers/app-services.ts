/**
 * Services of the unit tests of src/app and src/persistence over the shared
 * test database (helpers/db.ts), each test in a rolled-back transaction.
 */
import { createServices, referenceData, type Services } from '../../src/main/services.ts';
import type { Db } from '../../src/persistence/db.ts';
import { sequentialIds, TEST_TODAY, withApp } from './app.ts';
import { inRollback, type TestDatabase } from './db.ts';
import { TEST_LEDGER_KEYS } from './ledger.ts';

const demoReady = new Set<string>();

/**
 * Every service over a rolled-back transaction of the process's database with
 * the demo loaded (loaded once per process, by withApp's first call), judged on
 * TEST_TODAY, the ledger signed with the test keys; new ids are t-1, t-2, …
 */
export async function withDemoServices(database: TestDatabase, work: (services: Services, tx: Db) => Promise<void>): Promise<void> {
  if (!demoReady.has(database.name)) {
    await withApp(database, async () => {});
    demoReady.add(database.name);
  }
  const { db } = await database.openPreloaded();
  await inRollback(db, async (tx) => {
    await work(
      createServices(tx, sequentialIds('t'), referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS }),
      tx,
    );
  });
}

/** The same over the process's empty database. */
export async function withEmptyServices(database: TestDatabase, work: (services: Services, tx: Db) => Promise<void>): Promise<void> {
  const { db } = await database.open();
  await inRollback(db, async (tx) => {
    await work(
      createServices(tx, sequentialIds('t'), referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS }),
      tx,
    );
  });
}

/** A key caller. */
export const keyCaller = (role: 'admin' | 'lab' | 'owner' | 'inspector' | 'auditor', organisationId: string | null, keyId = `k-${role}`) =>
  ({ kind: 'key', keyId, role, organisationId }) as const;
