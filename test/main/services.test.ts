/**
 * main/services.ts: every service over one database, as the server, the CLI
 * and the tests build them: the verification part shared, the calendar and
 * reference data given passed on, the ledger signed with the key ring given.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../src/core/dates.ts';
import { createServices, referenceData } from '../../src/main/services.ts';
import { sequentialIds } from '../helpers/app.ts';
import { inRollback, testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const DAY = '2026-06-30' as CalendarDate;

for (const database of testDatabases()) {
  const it = suite(`main/services on ${database.name}`);

  it('every service is there; the calendar, reference data and ids given are the ones used; writes are ledgered with the ring given', async () =>
    inRollback((await database.open()).db, async (tx) => {
      const data = referenceData();
      const s = createServices(tx, sequentialIds('s'), data, () => DAY, undefined, { keys: TEST_LEDGER_KEYS });
      for (const name of [
        'registry',
        'traceability',
        'verification',
        'energy',
        'dcc',
        'access',
        'ledger',
        'visibility',
        'supervision',
        'lots',
        'imports',
        'sessions',
        'unitOfWork',
      ] as const)
        assert.ok(s[name], name);
      assert.is(s.rules.today(), DAY);
      assert.is(s.rules.charts, data.charts);
      assert.is(s.rules.catalogues, data.catalogues);
      assert.is(s.registry.newId(), 's-1');

      await s.access.issue({ role: 'admin', organisationId: null, label: 'first', expiresOn: null }, DAY);
      const report = await s.ledger.verify();
      assert.equal([report.valid, report.authenticated, report.checked], [true, true, 1]);
      assert.is(report.keys.signingKeyId, 'test-1');

      // without a key ring, entries go unsigned and the verifier says it could not check them
      const bare = createServices(tx, sequentialIds('b'), data, () => DAY);
      await bare.access.issue({ role: 'admin', organisationId: null, label: 'second', expiresOn: null }, DAY);
      assert.equal([(await bare.ledger.verify()).authenticated, (await bare.ledger.verify()).checked], [false, 2]);
    }));

  it.run();
}
