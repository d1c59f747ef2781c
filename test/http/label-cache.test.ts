/**
 * The public label lookup keeps its answers as known now (issue #19: the
 * hottest read), but a supervisor must see a change at once: a shortened
 * local interval, and an event written by another process over the same
 * database, show on the very next lookup. On PGlite and (with DATABASE_URL)
 * PostgreSQL.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServices, referenceData } from '../../src/main/services.ts';
import { ANONYMOUS, sequentialIds, TEST_TODAY, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

for (const database of testDatabases()) {
  const it = suite(`label lookup cache on ${database.name}`);

  it('a cached label changes on the next lookup after a policy or another process writes', () =>
    withApp(database, async ({ app, db }) => {
      const label = async (at: string) => {
        const res = await app.inject({ method: 'GET', url: `/v1/label?certificateNo=XH-JD2026-00317&at=${at}`, headers: ANONYMOUS });
        assert.is(res.statusCode, 200, res.body);
        const body = res.json();
        return [body.state, body.usable];
      };
      // looked up twice: the second answer comes from the cache, and is the same
      assert.equal(await label('2027-01-01'), ['in_force', true]);
      assert.equal(await label('2027-01-01'), ['in_force', true]);

      // a local policy shortens the interval to six months: overdue on 2027-01-01, at once
      const res = await app.inject({
        method: 'POST',
        url: '/v1/verification-policies',
        payload: { regulatorId: 'city-samr', category: 'MV016', intervalMonths: 6, validFrom: '2027-01-01', validUntil: '2027-12-31' },
      });
      assert.is(res.statusCode, 201, res.body);
      assert.equal(await label('2027-01-01'), ['overdue', false]);
      assert.equal(await label('2026-11-20'), ['in_force', true]);

      // another process (its own services over the same database) records that the seal was broken
      const other = createServices(db, sequentialIds('other'), referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
      await other.registry.loadEvent('scale-stall-17', { kind: 'seal_broken', effectiveOn: '2026-11-21' });
      assert.equal(await label('2026-11-20'), ['in_force', true], 'the day before, still usable');
      assert.equal(await label('2026-11-22'), ['reverification_required', false]);
      assert.equal(await label('2026-11-22'), ['reverification_required', false]);
    }));

  it.run();
}
