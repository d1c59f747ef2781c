/**
 * Row ⇄ domain (persistence/mappers.ts), without a database: every
 * organisation, scope, instrument and record of the demo goes to its row and
 * back unchanged, decimals as the same text (trailing zeros kept); each kind
 * of accuracy takes its own columns; empty lists are stored as null and read
 * back as empty; versions are grouped under their scope or CMC in order.
 */
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readEquipment, readOrganisation, readRecord, readScope } from '../../src/codecs/registry.ts';
import type { Equipment } from '../../src/core/registry/types.ts';
import {
  equipmentFromRow,
  equipmentToRow,
  organisationFromRow,
  organisationToRow,
  pointFromRow,
  pointToRow,
  recordFromRow,
  recordToRow,
  scopeFromRow,
  scopeHistoriesOf,
  scopeToRow,
} from '../../src/persistence/mappers.ts';

const demo = JSON.parse(readFileSync('fixtures/demo/registry.json', 'utf8')) as Record<string, Array<Record<string, unknown>>>;
const ids = () => 'drawn';
/** A row as the database gives it back: the inserted columns (absent ones null) and its insertion time. */
const asSelected = <T>(row: object): T => ({ createdAt: new Date(0), ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? null])) }) as T;

const it = suite('persistence/mappers');

it('every demo organisation and instrument goes to its row and back unchanged', () => {
  for (const raw of demo.organisations!) {
    const o = readOrganisation(raw, ids);
    assert.equal(organisationFromRow(asSelected(organisationToRow(o))), o, o.id);
  }
  for (const raw of demo.equipment!) {
    const e = readEquipment(raw, ids);
    assert.equal(equipmentFromRow(asSelected(equipmentToRow(e))), e, e.id);
  }
});

it('each kind of accuracy takes its own columns, and its unit falls back to the range’s', () => {
  const kg = readEquipment(demo.equipment!.find((e) => e.id === 'nim-kg')!, ids);
  const row = equipmentToRow(kg);
  assert.equal(
    [row.accuracyKind, row.expandedUncertainty, row.coverageFactor, row.accuracyUnit, row.mpe, row.accuracyClass],
    ['expanded', '0.000000020', '2', 'kg', null, null],
  );
  const scale = readEquipment(demo.equipment!.find((e) => e.id === 'scale-stall-17')!, ids);
  assert.equal([equipmentToRow(scale).accuracyKind, equipmentToRow(scale).accuracyClass, equipmentToRow(scale).accuracyUnit], ['class', 'III', null]);
  const mpe: Equipment = { ...scale, accuracy: { kind: 'mpe', mpe: '0.010', unit: 'kg' } as Equipment['accuracy'] };
  assert.equal(equipmentToRow(mpe).mpe, '0.010');
  assert.equal(equipmentFromRow(asSelected(equipmentToRow(mpe))).accuracy, { kind: 'mpe', mpe: '0.010', unit: 'kg' });
  // an expanded accuracy stored without its own unit reads the range's
  const noUnit = asSelected<Parameters<typeof equipmentFromRow>[0]>({ ...row, accuracyUnit: null });
  assert.equal(equipmentFromRow(noUnit).accuracy, { kind: 'expanded', expandedUncertainty: '0.000000020', coverageFactor: '2', unit: 'kg' });
});

it('every demo record goes to its rows (record, references, points) and back, decimals digit for digit', () => {
  for (const raw of demo.records!) {
    const r = readRecord(raw, ids);
    const points = r.points.map((p, seq) => pointFromRow(asSelected(pointToRow(r.id, seq, p))));
    assert.equal(recordFromRow(asSelected(recordToRow(r)), [...r.referenceIds], points), r, r.id);
  }
  const e1 = readRecord(demo.records!.find((x) => x.id === 'rec-city-e1-2025')!, ids);
  const row = pointToRow(e1.id, 0, e1.points[0]!);
  assert.equal([row.seq, row.expandedUncertainty, row.asFound], [0, '0.000000080', '1.000000031']);
});

it('empty conditions and external references are stored as null and read back as empty lists; a decision rule as its wire form', () => {
  const base = readRecord(demo.records!.find((x) => x.id === 'rec-stall17-2026')!, ids);
  const row = recordToRow(base);
  assert.equal([row.conditions, row.externalReferences, row.decisionRule], [null, null, null]);
  const back = recordFromRow(asSelected(row), [], []);
  assert.equal([back.conditions, back.externalReferences, back.decisionRule], [[], [], null]);
  const ruled = readRecord({ ...demo.records!.find((x) => x.id === 'rec-stall17-2026')!, decisionRule: { kind: 'guard_band', r: '0.5' } }, ids);
  assert.equal(recordToRow(ruled).decisionRule, { kind: 'guard_band', r: '0.5' });
  assert.equal(recordFromRow(asSelected(recordToRow(ruled)), [], []).decisionRule, ruled.decisionRule);
});

it('scopes go to their row and back; a scope’s history is its original version then its amendments', () => {
  const scopes = demo.scopes!.map((raw) => {
    const { labId, ...rest } = raw;
    return readScope(rest, labId as string, ids);
  });
  for (const s of scopes) assert.equal(scopeFromRow(asSelected(scopeToRow(s))), s, s.id);
  const histories = scopeHistoriesOf(scopes.slice(0, 2), []);
  assert.equal(
    histories.map((h) => h.length),
    [1, 1],
  );
});

it.run();
