/**
 * The public label lookup keeps its answers as known now (issue #19: the
 * hottest read), but a supervisor must see a change at once: a shortened
 * local interval, and an event written by another process over the same
 * database, show on the very next lookup. Where the database tells the
 * process of every change (the server: persistence/status-facts-watch.ts), a
 * lookup reads no version until it is told of a change or KNOWN_VERSION_MS
 * pass; this process's own write shows at once, another's once told, and
 * never later than that bound. On PGlite and (with DATABASE_URL)
 * PostgreSQL.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readEvent } from '../../src/codecs/events.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { KNOWN_VERSION_MS } from '../../src/app/verification.ts';
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

      // a local policy opens the due-soon window 90 days before the due date (2027-03-11): due soon on 2027-01-01, at once
      const res = await app.inject({
        method: 'POST',
        url: '/v1/verification-policies',
        payload: { regulatorId: 'city-samr', category: 'MV016', dueSoonDays: 90, validFrom: '2027-01-01', validUntil: '2027-12-31' },
      });
      assert.is(res.statusCode, 201, res.body);
      assert.equal(await label('2027-01-01'), ['due_soon', true]);
      assert.equal(await label('2026-11-20'), ['in_force', true]);

      // another process (its own services over the same database) records that the seal was broken
      const other = createServices(db, sequentialIds('other'), referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
      await other.registry.loadEvent(readEvent({ kind: 'seal_broken', effectiveOn: '2026-11-21' }, 'scale-stall-17', other.registry.newId));
      assert.equal(await label('2026-11-20'), ['in_force', true], 'the day before, still usable');
      assert.equal(await label('2026-11-22'), ['reverification_required', false]);
      assert.equal(await label('2026-11-22'), ['reverification_required', false]);
    }));

  it('a finding, a suspension by another process and midnight each show on the very next lookup: never a stale usable label', async () => {
    let today = '2026-11-25' as CalendarDate;
    await withApp(
      database,
      async ({ app, db }) => {
        // no date: the label of the server's today, as the public lookup page asks for it
        const label = async (at?: string) => {
          const res = await app.inject({ method: 'GET', url: `/v1/label?certificateNo=XH-JD2026-00317${at ? `&at=${at}` : ''}`, headers: ANONYMOUS });
          assert.is(res.statusCode, 200, res.body);
          const body = res.json();
          return [body.state, body.usable, body.at];
        };

        // midnight: the certificate is valid until 2027-03-11; the next day's first lookup says it may not be used
        today = '2027-03-11' as CalendarDate;
        assert.equal(await label(), ['due_soon', true, '2027-03-11']);
        assert.equal(await label(), ['due_soon', true, '2027-03-11']);
        today = '2027-03-12' as CalendarDate;
        const [state, usable] = await label();
        assert.is.not(state, 'due_soon');
        assert.is(usable, false);
        today = '2026-11-25' as CalendarDate;

        // cached usable, then another process (its own services over the same database) suspends the scale: withdrawn at once
        assert.equal(await label('2026-11-22'), ['in_force', true, '2026-11-22']);
        assert.equal(await label('2026-11-22'), ['in_force', true, '2026-11-22']);
        const other = createServices(db, sequentialIds('other'), referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
        await other.registry.loadEvent(
          readEvent({ kind: 'suspended', effectiveOn: '2026-11-21', reason: 'display fails' }, 'scale-stall-17', other.registry.newId),
        );
        assert.equal(await label('2026-11-22'), ['withdrawn', false, '2026-11-22']);

        // cached usable (the day before the suspension), then the standard behind the verification is found out of tolerance (this process)
        assert.equal(await label('2026-11-20'), ['in_force', true, '2026-11-20']);
        assert.equal(await label('2026-11-20'), ['in_force', true, '2026-11-20']);
        const res = await app.inject({
          method: 'POST',
          url: '/v1/equipment/district-f1-set/out-of-tolerance',
          payload: { foundOn: '2026-11-10', lastKnownGood: '2025-12-31', remarks: '20 kg piece 35 mg heavy' },
        });
        assert.is(res.statusCode, 201, res.body);
        assert.equal(await label('2026-11-20'), ['suspect', false, '2026-11-20']);
      },
      { today: () => today },
    );
  });

  it('lookups that arrive together share a read of the version, but none takes a read that began before it arrived', () =>
    withApp(database, async ({ app, verification }) => {
      // the store under the service, its version read held open until the test lets it answer
      const store = (verification as unknown as { deps: { store: { statusFactsVersion(): Promise<string> } } }).deps.store;
      const read = store.statusFactsVersion.bind(store);
      let reads = 0;
      let hold: Promise<void> | undefined;
      store.statusFactsVersion = async () => {
        reads++;
        const v = await read();
        await hold;
        return v;
      };
      const label = async (at: string) => {
        const res = await app.inject({ method: 'GET', url: `/v1/label?certificateNo=XH-JD2026-00317&at=${at}`, headers: ANONYMOUS });
        assert.is(res.statusCode, 200, res.body);
        return res.json().state as string;
      };
      assert.is(await label('2027-01-01'), 'in_force');

      // ten lookups at once: one read serves the first, one more the nine that came while it ran
      reads = 0;
      let release!: () => void;
      hold = new Promise((r) => (release = r));
      const together = Array.from({ length: 10 }, () => label('2027-01-01'));
      await new Promise((r) => setTimeout(r, 300));
      release();
      assert.equal(await Promise.all(together), Array(10).fill('in_force'));
      assert.ok(reads <= 2, `${reads} version reads for 10 lookups at once`);

      // a lookup that arrives while a read that began before a write is still running waits for a
      // read of its own, which sees the write: a wider due-soon window makes the scale due soon at once
      hold = new Promise((r) => (release = r));
      const early = label('2027-01-01');
      await new Promise((r) => setTimeout(r, 300));
      const res = await app.inject({
        method: 'POST',
        url: '/v1/verification-policies',
        payload: { regulatorId: 'city-samr', category: 'MV016', dueSoonDays: 90, validFrom: '2027-01-01', validUntil: '2027-12-31' },
      });
      assert.is(res.statusCode, 201, res.body);
      const late = label('2027-01-01');
      await new Promise((r) => setTimeout(r, 300));
      release();
      assert.is(await early, 'in_force', 'the lookup that came before the write may answer as before it');
      assert.is(await late, 'due_soon', 'the lookup that came after the write sees it');
    }));

  it("told of every change by the database (as the server runs it): no version read per lookup; its own write at once, another process's once told, and reads again when the watch is lost", () =>
    withApp(database, async ({ app, db, verification }) => {
      const store = (verification as unknown as { deps: { store: { statusFactsVersion(): Promise<string> } } }).deps.store;
      const read = store.statusFactsVersion.bind(store);
      let reads = 0;
      store.statusFactsVersion = () => {
        reads++;
        return read();
      };
      const label = async (at: string) => {
        const res = await app.inject({ method: 'GET', url: `/v1/label?certificateNo=XH-JD2026-00317&at=${at}`, headers: ANONYMOUS });
        assert.is(res.statusCode, 200, res.body);
        return res.json().state as string;
      };
      // the service's clock, moved by hand
      let now = 0;
      (verification as unknown as { deps: { elapsedMs: () => number } }).deps.elapsedMs = () => now;
      verification.statusFacts.watching(true);
      reads = 0;
      for (let i = 0; i < 5; i++) assert.is(await label('2027-01-01'), 'in_force');
      assert.is(reads, 1, 'one version read for five lookups in one generation');

      // this process's own write ends the generation as its transaction ends: due soon on the next lookup
      const res = await app.inject({
        method: 'POST',
        url: '/v1/verification-policies',
        payload: { regulatorId: 'city-samr', category: 'MV016', dueSoonDays: 90, validFrom: '2027-01-01', validUntil: '2027-12-31' },
      });
      assert.is(res.statusCode, 201, res.body);
      assert.is(await label('2027-01-01'), 'due_soon');

      // another process's write: this one answers as before until the database tells it, then anew
      assert.is(await label('2026-11-22'), 'in_force');
      const other = createServices(db, sequentialIds('other'), referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
      await other.registry.loadEvent(readEvent({ kind: 'seal_broken', effectiveOn: '2026-11-21' }, 'scale-stall-17', other.registry.newId));
      assert.is(await label('2026-11-22'), 'in_force', 'not told yet: the answer kept (what the notification is for)');
      verification.statusFacts.changed();
      assert.is(await label('2026-11-22'), 'reverification_required');

      // and when a notification is lost, the version read serves KNOWN_VERSION_MS at most
      assert.is(await label('2026-11-24'), 'reverification_required');
      reads = 0;
      await other.registry.loadEvent(
        readEvent({ kind: 'suspended', effectiveOn: '2026-11-23', reason: 'display fails' }, 'scale-stall-17', other.registry.newId),
      );
      now += KNOWN_VERSION_MS - 1;
      assert.is(await label('2026-11-24'), 'reverification_required', 'within the bound: the answer kept');
      assert.is(reads, 0);
      now += 1;
      assert.is(await label('2026-11-24'), 'withdrawn', 'past the bound: read again, never told');
      assert.is(reads, 1);

      // the watch lost: every lookup reads the version again, as without one
      verification.statusFacts.watching(false);
      reads = 0;
      for (let i = 0; i < 3; i++) assert.is(await label('2026-11-24'), 'withdrawn');
      assert.is(reads, 3);
    }));

  it.run();
}
