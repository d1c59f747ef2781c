/**
 * What a chain is resolved from (persistence/traceability-store.ts) over the
 * demo: the upward closure of an instrument at a date — the records in force
 * on each link's own date, up to the national standard, with the labs,
 * their scopes, findings and events — and as the registry knew it at an
 * instant; the current records that used a standard since a date; findings.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../src/core/dates.ts';
import { DrizzleTraceabilityStore } from '../../src/persistence/traceability-store.ts';
import { withDemoServices } from '../helpers/app-services.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const d = (s: string) => s as CalendarDate;

for (const database of testDatabases()) {
  const it = suite(`persistence/traceability-store on ${database.name}`);

  it('the upward closure of a stall scale: each link’s record in force on the day the link below used it, up to the national kilogram', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleTraceabilityStore(tx);
      const c = await store.loadUpwardClosure(['scale-stall-17'], 100, d('2026-11-25'));
      assert.equal([...c.equipment.keys()].sort(), ['city-e1-set', 'district-f1-set', 'nim-kg', 'scale-stall-17']);
      // the root's records all; above it the record in force on the day it was used
      assert.equal(
        c.records
          .get('scale-stall-17')!
          .map((r) => r.id)
          .sort(),
        ['rec-stall17-2025-fail', 'rec-stall17-2026'],
      );
      // the failed verification of 2025-03-10 used the F1 set under its 2024 certificate, the one of 2026-03-12 under its 2025 one;
      // those were calibrated on 2024-10-28 and 2025-11-03 against the E1 set's certificates of 2023 and 2025
      assert.equal(
        c.records
          .get('district-f1-set')!
          .map((r) => r.id)
          .sort(),
        ['rec-district-f1-2024', 'rec-district-f1-2025'],
      );
      assert.equal(
        c.records
          .get('city-e1-set')!
          .map((r) => r.id)
          .sort(),
        ['rec-city-e1-2023', 'rec-city-e1-2025'],
      );
      assert.ok(c.organisations.has('district-station') && c.organisations.has('city-institute') && c.organisations.has('city-market'));
      assert.ok((c.scopes.get('district-station') ?? []).length > 0);
      // the bound on the number of equipment read
      const bounded = await store.loadUpwardClosure(['scale-stall-17'], 2, d('2026-11-25'));
      assert.is(bounded.equipment.size, 2);
    }));

  it("roots as references (a new record's standards on its day): each keeps only its record in force then, and the chains above are the same", () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleTraceabilityStore(tx);
      const ids = (c: Awaited<ReturnType<typeof store.loadUpwardClosure>>) =>
        Object.fromEntries([...c.records].map(([k, v]) => [k, v.map((r) => r.id).sort()]).sort(([a], [b]) => String(a).localeCompare(String(b))));
      const asInstrument = await store.loadUpwardClosure(['district-f1-set'], 100, d('2026-03-12'));
      const asReference = await store.loadUpwardClosure(['district-f1-set'], 100, d('2026-03-12'), null, 'references');
      // as an instrument asked about: every current record of the set (its 2024, 2025 and 2026 certificates, the last after the day)
      assert.equal(ids(asInstrument)['district-f1-set'], ['rec-district-f1-2024', 'rec-district-f1-2025', 'rec-district-f1-2026']);
      assert.equal(ids(asInstrument)['city-e1-set'], ['rec-city-e1-2023', 'rec-city-e1-2025']);
      // as a standard used on 2026-03-12: its 2025 certificate, then the E1 set's in force on 2025-11-03, up to the kilogram
      assert.equal(ids(asReference), {
        'city-e1-set': ['rec-city-e1-2025'],
        'district-f1-set': ['rec-district-f1-2025'],
        'nim-kg': ids(asInstrument)['nim-kg'],
      });
      assert.equal([...asReference.equipment.keys()].sort(), ['city-e1-set', 'district-f1-set', 'nim-kg']);
      assert.ok(asReference.organisations.has('district-station') || asReference.organisations.has('city-institute'));
    }));

  it('as the registry knew it before anything was written, the closure is empty; a date before every record reads none above the root', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleTraceabilityStore(tx);
      const then = await store.loadUpwardClosure(['scale-stall-17'], 100, d('2026-11-25'), '2000-01-01T00:00:00Z');
      assert.equal([then.equipment.size, then.records.size], [0, 0]);
      const early = await store.loadUpwardClosure(['scale-stall-17'], 100, d('2020-01-01'));
      assert.equal([...early.equipment.keys()], ['scale-stall-17']);
    }));

  it('the current records that used a standard since a date; a correction stands for the record it replaced', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleTraceabilityStore(tx);
      const f1 = await store.recordsUsingSince([['district-f1-set', '2026-01-01']]);
      assert.equal(f1.map((r) => r.id).sort(), ['rec-infant-2026', 'rec-stall09-2026', 'rec-stall17-2026']);
      assert.equal(f1[0]!.referenceIds, ['district-f1-set']);
      const grid = await store.recordsUsingSince([['grid-portable-std', '2026-01-01']]);
      assert.ok(grid.some((r) => r.id === 'rec-steel-2026-corr') && !grid.some((r) => r.id === 'rec-steel-2026'), grid.map((r) => r.id).join());
      // each standard from its own date
      const both = await store.recordsUsingSince([
        ['district-f1-set', '2026-03-13'],
        ['city-e1-set', '2026-10-29'],
      ]);
      assert.equal(both.map((r) => r.id).sort(), ['rec-district-f1-2026', 'rec-infant-2026', 'rec-stall09-2026']);
      assert.equal(await store.recordsUsingSince([]), []);
    }));

  it('findings are stored with a signed ledger entry and listed by date found, then id', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleTraceabilityStore(tx, TEST_LEDGER_KEYS);
      await store.insertToleranceFinding({
        id: 'f-b',
        equipmentId: 'district-f1-set',
        foundOn: d('2026-11-20'),
        lastKnownGood: d('2026-06-01'),
        remarks: null,
      });
      await store.insertToleranceFinding({ id: 'f-a', equipmentId: 'district-f1-set', foundOn: d('2026-11-20'), lastKnownGood: d('2026-06-01'), remarks: 'x' });
      await store.insertToleranceFinding({ id: 'f-c', equipmentId: 'city-e1-set', foundOn: d('2026-10-01'), lastKnownGood: d('2026-05-01'), remarks: null });
      assert.equal(
        (await store.listToleranceFindings()).map((f) => f.id),
        ['f-c', 'f-a', 'f-b'],
      );
      assert.equal(
        (await store.listToleranceFindings('district-f1-set')).map((f) => [f.id, f.remarks]),
        [
          ['f-a', 'x'],
          ['f-b', null],
        ],
      );
      assert.is(await countOf(tx, "select count(*) as n from ledger l join ledger_macs m on m.seq = l.seq where l.kind = 'tolerance_finding'"), 3);
      const closure = await store.loadUpwardClosure(['scale-stall-17'], 100, d('2026-11-25'));
      assert.is(closure.tolerance.get('district-f1-set')?.length, 2);
    }));

  it.run();
}
