/**
 * Reads scoped by role (app/visibility.ts) over the demo registry: an owner
 * reads its own, a lab its own and what it calibrated, a regulator's key its
 * region, an admin everything; a refusal is FORBIDDEN at the path asked,
 * naming the scope; what does not exist is left to the use case.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../src/core/dates.ts';
import { keyCaller, withDemoServices } from '../helpers/app-services.ts';
import { rejects } from '../helpers/app-units.ts';
import { testDatabases } from '../helpers/db.ts';

const OWNER = keyCaller('owner', 'city-market');
const STEEL = keyCaller('owner', 'steel-works');
const LAB = keyCaller('lab', 'acme-cal');
const INSPECTOR = keyCaller('inspector', 'city-samr');
const ADMIN = keyCaller('admin', null);
const FROM = '2026-11-01' as CalendarDate;
const TO = '2026-12-31' as CalendarDate;

for (const database of testDatabases()) {
  const it = suite(`app/visibility on ${database.name}`);

  it('the scope of each kind of key; the public has none', () =>
    withDemoServices(database, async ({ visibility }) => {
      assert.equal(await visibility.scopeOf(ADMIN), { kind: 'all' });
      assert.equal(await visibility.scopeOf(OWNER), { kind: 'organisation', organisationId: 'city-market' });
      assert.equal(await visibility.scopeOf(LAB), { kind: 'lab', organisationId: 'acme-cal' });
      // city-samr is in region 310000: its prefix is 31
      assert.equal(await visibility.scopeOf(INSPECTOR), { kind: 'region', regulatorId: 'city-samr', regionPrefix: '31' });
      await rejects(visibility.scopeOf({ kind: 'public' }), 'UNAUTHORISED', 'authorization');
    }));

  it('equipment: own instruments yes, another owner’s FORBIDDEN at the path, an unknown id left to the use case', () =>
    withDemoServices(database, async ({ visibility }) => {
      await visibility.equipment(OWNER, ['scale-stall-17', 'scale-stall-42']);
      // water-meter-0231 was transferred to mall-plaza on 2026-08-01: the owner now reads it, the registered owner no longer
      await visibility.equipment(keyCaller('owner', 'mall-plaza'), ['water-meter-0231']);
      await rejects(visibility.equipment(OWNER, ['water-meter-0231']), 'FORBIDDEN', ':id');
      await visibility.equipment(OWNER, ['no-such-equipment']);
      const err = await rejects(visibility.equipment(OWNER, ['scale-stall-17', 'steel-main-meter'], '/ids/1'), 'FORBIDDEN', '/ids/1');
      assert.match(err.message, "an owner key of 'city-market' reads the instruments, records and energy data of 'city-market'; equipment 'steel-main-meter'");
      // the region's inspector reads steel-works (310113) but not the national standard at nim (110000)
      await visibility.equipment(INSPECTOR, ['steel-main-meter', 'scale-stall-42']);
      await rejects(visibility.equipment(INSPECTOR, ['nim-kg']), 'FORBIDDEN', ':id');
      // a lab reads the instruments it calibrated: acme-cal calibrated steel-main-meter
      await visibility.equipment(LAB, ['steel-main-meter']);
      await rejects(visibility.equipment(LAB, ['scale-stall-17']), 'FORBIDDEN', ':id');
      await visibility.equipment(ADMIN, ['nim-kg', 'no-such-equipment']);
    }));

  it('records: an owner reads the records of its instruments, a lab the records it issued', () =>
    withDemoServices(database, async ({ visibility }) => {
      await visibility.records(OWNER, ['rec-stall17-2026', 'rec-stall42-2025', 'no-such-record']);
      await rejects(visibility.records(OWNER, ['rec-steel-2026']), 'FORBIDDEN', ':id');
      await visibility.records(STEEL, ['rec-steel-2026', 'rec-steel-2026-corr']);
      await visibility.records(LAB, ['rec-steel-2026']);
      await rejects(visibility.records(LAB, ['rec-stall17-2026'], '/records/0'), 'FORBIDDEN', '/records/0');
      await visibility.records(INSPECTOR, ['rec-stall17-2026']);
    }));

  it('organisation data: one’s own, a regulator’s region; an unknown organisation is left to the use case', () =>
    withDemoServices(database, async ({ visibility }) => {
      await visibility.organisationData(STEEL, 'steel-works');
      await rejects(visibility.organisationData(OWNER, 'steel-works'), 'FORBIDDEN', ':id');
      await visibility.organisationData(OWNER, 'no-such-organisation');
      await visibility.organisationData(INSPECTOR, 'mall-plaza');
      await rejects(visibility.organisationData(INSPECTOR, 'nim'), 'FORBIDDEN', ':id');
      await visibility.organisationData(ADMIN, 'nim');
    }));

  it('due filters: an owner’s is its own, a regulator’s its region unless a narrower one is asked', () =>
    withDemoServices(database, async ({ visibility }) => {
      assert.equal(await visibility.dueFilter(OWNER, { from: FROM, to: TO }), { from: FROM, to: TO, ownerId: 'city-market' });
      await rejects(visibility.dueFilter(OWNER, { from: FROM, to: TO, ownerId: 'steel-works' }), 'FORBIDDEN', '?owner');
      assert.equal(await visibility.dueFilter(INSPECTOR, { from: FROM, to: TO }), { from: FROM, to: TO, regionCode: '310000' });
      assert.equal(await visibility.dueFilter(INSPECTOR, { from: FROM, to: TO, regionCode: '310104' }), { from: FROM, to: TO, regionCode: '310104' });
      await rejects(visibility.dueFilter(INSPECTOR, { from: FROM, to: TO, regionCode: '110000' }), 'FORBIDDEN', '?region');
      const asked = { from: FROM, to: TO, ownerId: 'steel-works' };
      assert.equal(await visibility.dueFilter(ADMIN, asked), asked);
    }));

  it('dependents of an impact analysis: each scope sees its own', () =>
    withDemoServices(database, async ({ visibility }) => {
      const dep = (ownerId: string, labId: string, regionCode: string) => ({ equipment: { ownerId }, record: { labId }, owner: { regionCode } }) as never;
      const list = [dep('city-market', 'district-station', '310104'), dep('nim', 'acme-cal', '110000'), dep('steel-works', 'city-institute', '310113')];
      assert.is((await visibility.dependents(ADMIN, list)).length, 3);
      assert.equal(await visibility.dependents(OWNER, list), [list[0]]);
      assert.equal(await visibility.dependents(LAB, list), [list[1]]);
      assert.equal(await visibility.dependents(INSPECTOR, list), [list[0], list[2]]);
    }));

  it.run();
}
