/**
 * main/access-service.ts: the access service as the server and the CLI build
 * it, over the database: keys stored through the access store, each signed
 * into the ledger with the ring's key, organisations' kinds asked of the
 * registry given.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../src/core/errors.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { OrganisationKind } from '../../src/core/registry/vocabulary.ts';
import { createAccessService } from '../../src/main/access-service.ts';
import { createLedgerService } from '../../src/main/ledger-service.ts';
import { inRollback, testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const TODAY = '2026-11-25' as CalendarDate;
const registry = (kinds: Record<string, OrganisationKind>) => ({
  getOrganisation: async (id: string) => ({ kind: kinds[id] ?? ('enterprise' as const) }),
});

for (const database of testDatabases()) {
  const it = suite(`main/access-service on ${database.name}`);

  it('a key issued is stored, authenticates by its token, and enters the ledger signed with the ring’s key', async () =>
    inRollback((await database.open()).db, async (tx) => {
      const access = createAccessService(tx, TEST_LEDGER_KEYS, registry({}));
      const issued = await access.issue({ role: 'admin', organisationId: null, label: 'first admin', expiresOn: null }, TODAY);
      const auth = await access.authenticate(issued.token, TODAY);
      assert.ok(auth.ok);
      if (auth.ok) assert.equal(auth.caller, { kind: 'key', keyId: issued.key.id, role: 'admin', organisationId: null });
      assert.equal(
        (await access.listKeys()).map((k) => k.id),
        [issued.key.id],
      );
      const report = await createLedgerService(tx, { keys: TEST_LEDGER_KEYS }).verify();
      assert.ok(report.valid && report.authenticated, report.summary);
      assert.is(report.checked, 1, 'the key is the one entry');
    }));

  it("the registry given says what an organisation is: a lab's key for an enterprise is refused, nothing stored", async () =>
    inRollback((await database.open()).db, async (tx) => {
      const access = createAccessService(tx, TEST_LEDGER_KEYS, registry({ 'city-market': 'enterprise' }));
      let refused: unknown;
      try {
        await access.issue({ role: 'lab', organisationId: 'city-market', label: 'lab key', expiresOn: null }, TODAY);
      } catch (e) {
        refused = e;
      }
      assert.instance(refused, MetrologyError);
      assert.is((refused as MetrologyError).code, 'WRONG_ORGANISATION_KIND');
      assert.equal(await access.listKeys(), []);
    }));

  it.run();
}
