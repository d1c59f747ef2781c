/** Energy inventories and audits on the wire: consumptions in the threshold's unit, ids unique, audit requests dated, rates written to four places. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readAuditRequest, readInventory, toInventory, writeAudit, writeInventory } from '../../src/codecs/energy.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { EnergyAudit } from '../../src/core/energy/audit.ts';
import { Decimal } from '../../src/core/numeric/decimal.ts';
import { loadEnergyRules } from '../../src/runtime/reference-data.ts';
import { refusal } from '../helpers/refusal.ts';

const rules = loadEnergyRules();
type P = Parameters<typeof toInventory>[0]['points'][number];
const pt = (over: Partial<P>): P => ({ id: 'p', level: 'equipment', energyType: 'electricity', name: 'kiln', ...over }) as P;
const inv = (...points: P[]) => toInventory({ points }, 'org-1', rules);

const inventory = suite('inventory');

inventory('a point with its consumption in the threshold unit; absent optional fields null; written back as text', () => {
  const i = toInventory(
    {
      electricityUserClass: 'II',
      points: [
        pt({ id: 'gate', level: 'organisation', name: 'main supply', equipmentId: 'meter-1' }),
        pt({ id: 'kiln', consumption: { value: '150.50', unit: 'kW' } }),
        pt({ id: 'water-in', level: 'organisation', energyType: 'water', name: 'water', pipeDn: 300 }),
        pt({ id: 'boiler', energyType: 'coal', consumption: { value: '1', unit: 't/h' }, weighing: 'static' }),
      ],
    },
    'org-1',
    rules,
  );
  assert.is(i.organisationId, 'org-1');
  assert.is(i.electricityUserClass, 'II');
  assert.equal(writeInventory(i).points, [
    {
      id: 'gate',
      level: 'organisation',
      energyType: 'electricity',
      name: 'main supply',
      consumption: null,
      equipmentId: 'meter-1',
      weighing: null,
      pipeDn: null,
    },
    {
      id: 'kiln',
      level: 'equipment',
      energyType: 'electricity',
      name: 'kiln',
      consumption: { value: '150.5', unit: 'kW' },
      equipmentId: null,
      weighing: null,
      pipeDn: null,
    },
    { id: 'water-in', level: 'organisation', energyType: 'water', name: 'water', consumption: null, equipmentId: null, weighing: null, pipeDn: 300 },
    {
      id: 'boiler',
      level: 'equipment',
      energyType: 'coal',
      name: 'kiln',
      consumption: { value: '1', unit: 't/h' },
      equipmentId: null,
      weighing: 'static',
      pipeDn: null,
    },
  ]);
  assert.is(inv().electricityUserClass, null);
});

inventory("the unit is the threshold's of the point's level: kW for equipment and sub-units alike, t/a for a coal sub-unit", () => {
  assert.is(inv(pt({ level: 'sub_unit', consumption: { value: '10', unit: 'kW' } })).points[0]!.consumption!.unit, 'kW');
  assert.equal(
    refusal(() => inv(pt({ consumption: { value: '150', unit: 'kWh' } }))),
    ['INVALID_FIELD', '/points/0/consumption/unit'],
  );
  assert.equal(
    refusal(() => inv(pt({ level: 'sub_unit', energyType: 'coal', consumption: { value: '1', unit: 't/h' } }))),
    ['INVALID_FIELD', '/points/0/consumption/unit'],
  );
  // the boundary has no threshold: any unit
  assert.is(inv(pt({ level: 'organisation', consumption: { value: '5', unit: 'MWh' } })).points[0]!.consumption!.unit, 'MWh');
});

inventory('refusals: a point twice, a negative consumption, a sub-unit or equipment without one', () => {
  assert.equal(
    refusal(() => inv(pt({ id: 'a', consumption: { value: '1', unit: 'kW' } }), pt({ id: 'a', consumption: { value: '2', unit: 'kW' } }))),
    ['DUPLICATE', '/points/1/id'],
  );
  assert.equal(
    refusal(() => inv(pt({ consumption: { value: '-0.1', unit: 'kW' } }))),
    ['INVALID_FIELD', '/points/0/consumption/value'],
  );
  assert.is(inv(pt({ consumption: { value: '0', unit: 'kW' } })).points[0]!.consumption!.value.toString(), '0');
  assert.equal(
    refusal(() => inv(pt({ level: 'sub_unit' }))),
    ['MISSING_FIELD', '/points/0/consumption'],
  );
  assert.equal(
    refusal(() => inv(pt({ consumption: null }))),
    ['MISSING_FIELD', '/points/0/consumption'],
  );
  assert.equal(
    refusal(() => readInventory({ points: [{ ...pt({}), colour: 'red' }] }, 'o', rules)),
    ['UNKNOWN_FIELD', '/points/0/colour'],
  );
  assert.equal(refusal(() => readInventory({ points: [pt({ consumption: { value: 150, unit: 'kW' } as never })] }, 'o', rules))[0], 'JSON_NUMBER');
});

const audits = suite('audit');

audits('an audit request: the id given or drawn, the day a real date', () => {
  assert.equal(
    readAuditRequest({ organisationId: 'org-1', at: '2026-11-25' }, () => 'audit-9'),
    { id: 'audit-9', organisationId: 'org-1', at: '2026-11-25' },
  );
  assert.is(readAuditRequest({ id: 'a-1', organisationId: 'org-1', at: '2026-11-25' }, () => 'x').id, 'a-1');
  assert.equal(
    refusal(() => readAuditRequest({ organisationId: 'org-1', at: '2026-02-29' }, () => 'x')),
    ['INVALID_DATE', '/at'],
  );
  assert.equal(
    refusal(() => readAuditRequest({ at: '2026-01-01' }, () => 'x')),
    ['MISSING_FIELD', '/organisationId'],
  );
});

audits('an audit written: rates to four places, required rates as text, null kept', () => {
  const a: EnergyAudit = {
    organisationId: 'org-1',
    at: '2026-11-25' as CalendarDate,
    rulesVersion: 'GB 17167-2006',
    verdict: 'non_compliant',
    rates: [
      {
        level: 'equipment',
        energyType: 'electricity',
        required: 3,
        installed: 2,
        rate: new Decimal(200).div(3),
        requiredRate: new Decimal('95'),
        meets: false,
        rule: 'r',
      },
      { level: 'sub_unit', energyType: 'coal', required: 0, installed: 0, rate: null, requiredRate: null, meets: null, rule: 'r2' },
    ],
    points: [{ pointId: 'kiln', required: true, reason: '150 kW ≥ 100 kW' }],
    findings: [
      {
        code: 'RATE_BELOW_REQUIRED',
        severity: 'nonconformity',
        level: 'equipment',
        energyType: 'electricity',
        pointId: null,
        equipmentId: null,
        rule: 'r',
        message: 'm',
      },
    ] as unknown as EnergyAudit['findings'],
  };
  const w = writeAudit('audit-1', 3, a);
  assert.equal([w.id, w.inventoryVersion, w.verdict, w.at, w.rulesVersion], ['audit-1', 3, 'non_compliant', '2026-11-25', 'GB 17167-2006']);
  assert.equal(w.rates[0], {
    level: 'equipment',
    energyType: 'electricity',
    required: 3,
    installed: 2,
    rate: '66.6667',
    requiredRate: '95',
    meets: false,
    rule: 'r',
  });
  assert.equal([w.rates[1]!.rate, w.rates[1]!.requiredRate], [null, null]);
  assert.equal(w.points, [{ pointId: 'kiln', required: true, reason: '150 kW ≥ 100 kW' }]);
  assert.is.not(w.points[0], a.points[0]);
  assert.is(w.findings[0]!.code, 'RATE_BELOW_REQUIRED');
});

inventory.run();
audits.run();
