/**
 * Reverse traceability over a small graph drawn by hand: a standard found out
 * of tolerance makes suspect what it calibrated on or after its last known good
 * date, and, transitively, what those calibrated after their own suspect
 * calibration; mandatory instruments first.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import type { CalibrationRecord, Equipment, Organisation } from '../../../src/core/registry/types.ts';
import { type DownGraph, dependents } from '../../../src/core/traceability/impact.ts';

const d = (s: string) => s as CalendarDate;

/** A record of `subjectId` performed on `on` with `referenceIds`. */
const rec = (id: string, subjectId: string, on: string, ...referenceIds: string[]) =>
  ({ id, subjectId, performedOn: d(on), referenceIds }) as unknown as CalibrationRecord;
const eq = (id: string, ownerId: string) => ({ id, ownerId }) as unknown as Equipment;

//   S ──2026-02-01──▶ A ──2026-03-01──▶ X
//   S ──2026-05-01──▶ A (again)        A ──2026-01-15──▶ Y (before A's suspect calibration)
//   S ──2025-12-01──▶ B (before the date)   S ──2026-04-01──▶ M (mandatory, owner o2)
//   A ──2026-04-01──▶ S (a loop back to the standard)
const records = [
  rec('r1', 'A', '2026-02-01', 'S'),
  rec('r2', 'A', '2026-05-01', 'S'),
  rec('r3', 'X', '2026-03-01', 'A'),
  rec('r4', 'Y', '2026-01-15', 'A'),
  rec('r5', 'B', '2025-12-01', 'S'),
  rec('r6', 'M', '2026-04-01', 'S'),
  rec('r7', 'S', '2026-04-01', 'A'),
];
const equipment = new Map(['A', 'X', 'Y', 'B', 'M', 'S'].map((id) => [id, eq(id, id === 'M' ? 'o2' : id === 'X' ? 'o0' : 'o1')]));
const graph: DownGraph = {
  recordsUsing: (ref) => records.filter((r) => r.referenceIds.includes(ref)),
  equipment: (id) => equipment.get(id),
  organisation: (id) => ({ id, name: `org ${id}` }) as unknown as Organisation,
  mandatory: (e) => e.id === 'M',
};

test('what depended on the standard from its last known good date, transitively, each with its first suspect record', () => {
  const found = dependents(graph, 'S', d('2026-01-01'));
  assert.equal(
    found.map((x) => [x.equipment.id, x.record.id, x.path.join('→'), x.mandatory]),
    [
      ['M', 'r6', 'S→M', true],
      ['X', 'r3', 'S→A→X', false],
      ['A', 'r1', 'S→A', false],
    ],
  );
  assert.is(found[0]!.owner!.id, 'o2');
});

test('a later last known good date leaves out what was calibrated before it, and what followed from that', () => {
  const found = dependents(graph, 'S', d('2026-04-15'));
  assert.equal(
    found.map((x) => [x.equipment.id, x.record.id]),
    [['A', 'r2']],
  );
  assert.equal(dependents(graph, 'S', d('2026-06-01')), []);
});

test('on or after: a calibration on the date given is suspect too', () => {
  assert.equal(
    dependents(graph, 'S', d('2026-05-01')).map((x) => x.record.id),
    ['r2'],
  );
});

test.run();
