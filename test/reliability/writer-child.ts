/**
 * A writer process for the crash tests, killed by its parent:
 *   hang   — inserts a record (and its ledger entry) in a transaction, says
 *            "inserted", and waits, uncommitted, to be killed;
 *   commit — appends a record, says "committed" once the commit is acknowledged,
 *            and waits to be killed.
 *   node --import tsx writer-child.ts <hang|commit> <recordId> <postgres url | PGlite dir>
 */
import { randomUUID } from 'node:crypto';
import { RegistryService } from '../../src/app/registry.ts';
import { openDb } from '../../src/persistence/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';
import { DrizzleRegistryStore } from '../../src/persistence/registry-store.ts';
import { readRecord } from '../../src/codecs/registry.ts';
import { recordPayload } from '../helpers/fresh.ts';
import { TEST_RULES } from '../helpers/app.ts';

const [mode, id, where] = process.argv.slice(2) as [string, string, string];
const database = await openDb(where.startsWith('postgres') ? { url: where, poolSize: 1 } : { dataDir: where });
const payload = recordPayload(id);
if (mode === 'hang') {
  await database.db.transaction(async (tx) => {
    await new DrizzleRegistryStore(tx as never, TEST_LEDGER_KEYS).insertRecord(readRecord(payload, randomUUID));
    process.stdout.write('inserted\n');
    setInterval(() => {}, 1 << 30);
    await new Promise(() => {});
  });
} else {
  const registry = new RegistryService({ store: new DrizzleRegistryStore(database.db, TEST_LEDGER_KEYS), newId: randomUUID, ...TEST_RULES });
  await registry.createRecord(readRecord(payload, randomUUID));
  process.stdout.write('committed\n');
  setInterval(() => {}, 1 << 30);
  await new Promise(() => {});
}
