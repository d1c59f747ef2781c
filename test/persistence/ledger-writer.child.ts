/**
 * A second process for ledger-two-processes.test.ts: registers `count`
 * organisations on the database at `url`, each entering the ledger, as fast
 * as it can, while its twin does the same.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readOrganisation } from '../../src/codecs/registry.ts';
import { createServices, referenceData } from '../../src/main/services.ts';
import { openDb } from '../../src/persistence/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const [url, tag, count, barrier] = process.argv.slice(2) as [string, string, string, string];
const database = await openDb({ url, poolSize: 4 });
try {
  // connected and loaded: say so, then start only when the parent opens the barrier, with the twin
  process.stdout.write('ready\n');
  while (!existsSync(barrier)) await new Promise((r) => setTimeout(r, 10));
  const services = createServices(database.db, randomUUID, referenceData(), () => '2026-11-25' as never, undefined, { keys: TEST_LEDGER_KEYS });
  // four writers at once in this process, two processes: eight concurrent appends
  await Promise.all(
    [0, 1, 2, 3].map(async (w) => {
      for (let i = w; i < Number(count); i += 4) {
        await services.registry.createOrganisation(
          readOrganisation({ id: `proc-${tag}-${i}`, name: `Process ${tag} organisation ${i}`, kind: 'enterprise', regionCode: '310104' }, randomUUID),
        );
      }
    }),
  );
} finally {
  await database.close();
}
