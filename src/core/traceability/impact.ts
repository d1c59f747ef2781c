/**
 * Impact analysis (reverse traceability): when a standard is found out of
 * tolerance with a last known good date, every result that depended on it after
 * that date is suspect — the equipment it calibrated then, and, transitively,
 * whatever those calibrated after their own suspect calibration.
 */
import { type CalendarDate, compareDates } from '../dates.ts';
import type { CalibrationRecord, Equipment, Organisation } from '../registry/types.ts';

export interface Dependent {
  readonly equipment: Equipment;
  readonly owner: Organisation | null;
  /** The first suspect record of this equipment. */
  readonly record: CalibrationRecord;
  /** From the standard found out of tolerance down to this equipment. */
  readonly path: readonly string[];
  /** Under mandatory verification at the date of its suspect record (per the State catalogue): listed first. */
  readonly mandatory: boolean;
}

export interface DownGraph {
  /** Records (not superseded) that name `referenceId` among their references. */
  recordsUsing(referenceId: string): readonly CalibrationRecord[];
  equipment(id: string): Equipment | undefined;
  organisation(id: string): Organisation | undefined;
  /** Whether the equipment is under mandatory verification at a date (the catalogue decides). */
  mandatory(e: Equipment, at: CalendarDate): boolean;
}

/**
 * Every equipment whose result depended on `standardId` on or after `since`,
 * transitively, each with its first suspect record and the path; mandatory
 * instruments first, then by owner and id.
 */
export function dependents(graph: DownGraph, standardId: string, since: CalendarDate): Dependent[] {
  const found = new Map<string, Dependent>();
  const queue: Array<{ id: string; since: CalendarDate; path: string[] }> = [{ id: standardId, since, path: [standardId] }];
  while (queue.length > 0) {
    const { id, since: from, path } = queue.shift()!;
    const using = [...graph.recordsUsing(id)].filter((r) => r.performedOn >= from).sort((a, b) => compareDates(a.performedOn, b.performedOn));
    for (const r of using) {
      const prior = found.get(r.subjectId);
      if (prior && prior.record.performedOn <= r.performedOn) continue;
      if (r.subjectId === standardId || path.includes(r.subjectId)) continue;
      const e = graph.equipment(r.subjectId);
      if (!e) continue;
      const d: Dependent = {
        equipment: e,
        owner: graph.organisation(e.ownerId) ?? null,
        record: r,
        path: [...path, r.subjectId],
        mandatory: graph.mandatory(e, r.performedOn),
      };
      found.set(r.subjectId, d);
      queue.push({ id: r.subjectId, since: r.performedOn, path: d.path as string[] });
    }
  }
  return [...found.values()].sort(
    (a, b) =>
      Number(b.mandatory) - Number(a.mandatory) ||
      (a.equipment.ownerId < b.equipment.ownerId ? -1 : a.equipment.ownerId > b.equipment.ownerId ? 1 : 0) ||
      (a.equipment.id < b.equipment.id ? -1 : 1),
  );
}
