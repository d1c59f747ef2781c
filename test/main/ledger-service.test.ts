/**
 * main/ledger-service.ts: the ledger service over the database with the key
 * ring and anchor log given: MACs checked only with the ring, anchors taken
 * into the log given, no anchor log by default (anchoring then refused).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../src/core/dates.ts';
import { createAccessService } from '../../src/main/access-service.ts';
import { createLedgerService } from '../../src/main/ledger-service.ts';
import { inRollback, testDatabases } from '../helpers/db.ts';
import { memoryAnchorLog, TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const TODAY = '2026-11-25' as CalendarDate;
const registry = { getOrganisation: async () => ({ kind: 'enterprise' as const }) };

for (const database of testDatabases()) {
  const it = suite(`main/ledger-service on ${database.name}`);

  it('with the ring the MACs are checked; without it the chain holds but is not authenticated; anchors go to the log given', async () =>
    inRollback((await database.open()).db, async (tx) => {
      const access = createAccessService(tx, TEST_LEDGER_KEYS, registry);
      await access.issue({ role: 'admin', organisationId: null, label: 'a', expiresOn: null }, TODAY);
      await access.issue({ role: 'admin', organisationId: null, label: 'b', expiresOn: null }, TODAY);

      const log = memoryAnchorLog();
      const keyed = createLedgerService(tx, { keys: TEST_LEDGER_KEYS, anchors: log });
      const report = await keyed.verify();
      assert.equal([report.valid, report.authenticated, report.checked], [true, true, 2]);
      const taken = await keyed.anchor();
      assert.is(taken?.source, 'memory');
      assert.is(log.lines.length, 1);
      assert.is(log.lines[0]!.seq, report.head.seq);
      assert.is((await keyed.verify()).anchors.count, 1, 'verify reads the same log');

      const bare = createLedgerService(tx);
      const unkeyed = await bare.verify();
      assert.equal([unkeyed.valid, unkeyed.authenticated, unkeyed.anchors.count], [true, false, 0]);
      let refused: unknown;
      try {
        await bare.anchor();
      } catch (e) {
        refused = e;
      }
      assert.match(String(refused), /no anchor log is configured/);
    }));

  it.run();
}
