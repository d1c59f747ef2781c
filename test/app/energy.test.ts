/**
 * The energy-metering use case (app/energy.ts) over the demo: inventories kept
 * as versions (checked for the organisation's kind and its own meters), audits
 * against GB 17167 stored with their input and recomputed from it (the
 * documented findings of fixtures/energy/expected-findings.json).
 */
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readInventory } from '../../src/codecs/energy.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { Services } from '../../src/main/services.ts';
import { withDemoServices } from '../helpers/app-services.ts';
import { rejects } from '../helpers/app-units.ts';
import { testDatabases } from '../helpers/db.ts';

const AT = '2026-11-25' as CalendarDate;
const EXPECTED = JSON.parse(readFileSync('fixtures/energy/expected-findings.json', 'utf8')).organisations as Record<
  string,
  { verdict: string; findings: unknown[][] }
>;

type Finding = { severity: string; code: string; level: string; energyType: string; pointId: string | null; equipmentId: string | null };
const rows = (findings: readonly Finding[]) => findings.map((f) => [f.severity, f.code, f.level, f.energyType, f.pointId, f.equipmentId]);

/** An inventory of the organisation with one organisation-level point on `meter`. */
const inventory = (s: Services, organisationId: string, meter: string | null) =>
  readInventory(
    { points: [{ id: 'e-in', level: 'organisation', energyType: 'electricity', name: 'incoming line', ...(meter ? { equipmentId: meter } : {}) }] },
    organisationId,
    s.energy.rules,
  );

for (const database of testDatabases()) {
  const it = suite(`app/energy on ${database.name}`);

  it('audits each demo organisation to its documented verdict and findings, stores it, and recomputes it from its stored input', () =>
    withDemoServices(database, async (s) => {
      for (const org of ['steel-works', 'city-hospital', 'mall-plaza']) {
        const done = await s.energy.audit({ id: `audit-${org}`, organisationId: org, at: AT });
        assert.equal([done.audit.verdict, rows(done.audit.findings)], [EXPECTED[org]!.verdict, EXPECTED[org]!.findings], org);
        assert.equal([done.id, done.inventoryVersion, done.audit.at, done.audit.organisationId], [`audit-${org}`, 1, AT, org]);
        const stored = await s.energy.getAudit(`audit-${org}`);
        assert.equal(stored.audit, done.audit);
        assert.equal(s.energy.recompute(stored.stored), done.audit, `${org} recomputed`);
      }
      assert.equal(
        (await s.energy.listAudits('mall-plaza')).map((a) => a.id),
        ['audit-mall-plaza'],
      );
      await rejects(s.energy.getAudit('no-such-audit'), 'NOT_FOUND');
    }));

  it('each submission is a new version, and the audit reads the latest', () =>
    withDemoServices(database, async (s) => {
      const before = await s.energy.latestInventory('city-hospital');
      assert.equal([before.id, before.version, before.inventory.points.length], ['city-hospital-inventory-1', 1, 6]);
      const v2 = await s.energy.submitInventory(inventory(s, 'city-hospital', 'hosp-main-meter'));
      assert.equal([v2.id, v2.version], ['city-hospital-inventory-2', 2]);
      const latest = await s.energy.latestInventory('city-hospital');
      assert.equal([latest.version, latest.inventory.points.map((p) => p.id)], [2, ['e-in']]);
      const audit = await s.energy.audit({ id: 'a2', organisationId: 'city-hospital', at: AT });
      assert.is(audit.inventoryVersion, 2);
      assert.equal(
        audit.audit.points.map((p) => (p as { pointId?: string; id?: string }).pointId ?? (p as { id?: string }).id),
        ['e-in'],
      );
    }));

  it('refuses an inventory of an unknown organisation, of a regulator, naming an unknown meter or another organisation’s', () =>
    withDemoServices(database, async (s) => {
      await rejects(s.energy.submitInventory(inventory(s, 'no-such-org', null)), 'NOT_FOUND', '');
      await rejects(s.energy.submitInventory(inventory(s, 'city-samr', null)), 'WRONG_ORGANISATION_KIND', '');
      await rejects(s.energy.submitInventory(inventory(s, 'city-hospital', 'no-such-meter')), 'UNKNOWN_REFERENCE', '/points/0/equipmentId');
      const err = await rejects(s.energy.submitInventory(inventory(s, 'city-hospital', 'steel-main-meter')), 'INVALID_FIELD', '/points/0/equipmentId');
      assert.match(err.message, "belongs to 'steel-works'");
      // an enterprise without an inventory yet has nothing to audit
      await rejects(s.energy.latestInventory('city-market'), 'NOT_FOUND', '');
      await rejects(s.energy.audit({ id: 'a', organisationId: 'city-market', at: AT }), 'NOT_FOUND', '');
      assert.is((await s.energy.latestInventory('city-hospital')).version, 1, 'nothing was stored');
    }));

  it.run();
}
