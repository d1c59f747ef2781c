/** A traceability result on the wire (contracts/traceability.ts): the chain as a tree, findings with stable codes; an out-of-tolerance finding read. */
import { type CsvColumns, type CsvLang, spreadsheetCsv } from './csv.ts';
import type { ChainLink, Finding, ToleranceFinding, TraceResult } from '../core/traceability/chain.ts';
import { parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { readContract } from './contracts/read.ts';
import { ToleranceInput, type ToleranceInputShape } from './contracts/traceability.ts';
import type { Dependent } from '../core/traceability/impact.ts';

export function writeFinding(f: Finding<string>) {
  return { code: f.code, equipmentId: f.equipmentId, recordId: f.recordId, date: f.date, message: f.message };
}

export interface WireLink {
  equipmentId: string;
  name: string | null;
  level: string | null;
  quantity: string | null;
  at: string;
  record: {
    id: string;
    kind: string;
    certificateNo: string;
    performedOn: string;
    validUntil: string | null;
    conformity: string | null;
    labId: string;
    labName: string | null;
  } | null;
  realisation: string | null;
  findings: ReturnType<typeof writeFinding>[];
  notes: ReturnType<typeof writeFinding>[];
  references: WireLink[];
}

export function writeLink(l: ChainLink): WireLink {
  return {
    equipmentId: l.equipmentId,
    name: l.equipment?.name ?? null,
    level: l.equipment?.level ?? null,
    quantity: l.equipment?.quantity ?? null,
    at: l.at,
    record: l.record
      ? {
          id: l.record.id,
          kind: l.record.kind,
          certificateNo: l.record.certificateNo,
          performedOn: l.record.performedOn,
          validUntil: l.record.validUntil,
          conformity: l.record.conformity,
          labId: l.record.labId,
          labName: l.lab?.name ?? null,
        }
      : null,
    realisation: l.realisation,
    findings: l.findings.map(writeFinding),
    notes: l.notes.map(writeFinding),
    references: l.references.map(writeLink),
  };
}

export function writeTrace(t: TraceResult) {
  return {
    equipmentId: t.equipmentId,
    at: t.at,
    traceable: t.traceable,
    findings: t.findings.map(writeFinding),
    notes: t.notes.map(writeFinding),
    chain: writeLink(t.chain),
  };
}

export function writeDependent(d: Dependent) {
  return {
    equipmentId: d.equipment.id,
    name: d.equipment.name,
    ownerId: d.equipment.ownerId,
    ownerName: d.owner?.name ?? null,
    level: d.equipment.level,
    usage: d.equipment.usage,
    category: d.equipment.category,
    mandatory: d.mandatory,
    recordId: d.record.id,
    certificateNo: d.record.certificateNo,
    performedOn: d.record.performedOn,
    path: [...d.path],
  };
}

/** Dependents grouped by owner organisation, mandatory instruments first within the list. */
export function writeImpact(standardId: string, since: string, list: readonly Dependent[]) {
  const byOwner = new Map<string, ReturnType<typeof writeDependent>[]>();
  for (const d of list) {
    const w = writeDependent(d);
    const group = byOwner.get(w.ownerId) ?? [];
    group.push(w);
    byOwner.set(w.ownerId, group);
  }
  return {
    standardId,
    since,
    count: list.length,
    mandatoryCount: list.filter((d) => d.mandatory).length,
    dependents: list.map(writeDependent),
    byOwner: [...byOwner].map(([ownerId, items]) => ({
      ownerId,
      ownerName: items[0]!.ownerName,
      count: items.length,
      equipmentIds: items.map((i) => i.equipmentId),
    })),
  };
}

/** RFC 4180 CSV of the dependents, one row each. */
const IMPACT_COLUMNS: CsvColumns = [
  ['equipment_id', '器具ID'],
  ['name', '名称'],
  ['owner_id', '使用单位编号'],
  ['owner_name', '使用单位'],
  ['level', '层级'],
  ['usage', '使用领域'],
  ['category', '强检目录类别'],
  ['mandatory', '强制检定'],
  ['record_id', '记录编号'],
  ['certificate_no', '证书编号'],
  ['performed_on', '检定/校准日期'],
  ['path', '溯源路径'],
];

export function impactCsv(list: readonly Dependent[], opts: { readonly lang?: CsvLang; readonly bom?: boolean } = {}): string {
  return spreadsheetCsv(
    IMPACT_COLUMNS,
    list.map((d) => {
      const w = writeDependent(d);
      return [
        w.equipmentId,
        w.name,
        w.ownerId,
        w.ownerName,
        w.level,
        w.usage,
        w.category,
        w.mandatory,
        w.recordId,
        w.certificateNo,
        w.performedOn,
        w.path.join(' > '),
      ];
    }),
    opts,
  );
}

/** A recorded out-of-tolerance finding: the standard, the day it was found and the last day it is known to have been good. */
export type RecordedFinding = ToleranceFinding & { readonly id: string; readonly remarks: string | null };

/** An out-of-tolerance finding as the caller states it: the last known good day is not after the finding. */
export function toToleranceFinding(i: ToleranceInputShape, equipmentId: string, newId: () => string): RecordedFinding {
  const id = i.id ?? newId();
  const foundOn = parseDate(i.foundOn, '/foundOn');
  const lastKnownGood = parseDate(i.lastKnownGood, '/lastKnownGood');
  if (lastKnownGood > foundOn) fail('INVALID_RANGE', '/lastKnownGood', `the last known good date ${lastKnownGood} is after the finding on ${foundOn}`);
  return { id, equipmentId, foundOn, lastKnownGood, remarks: i.remarks ?? null };
}

/** A finding from JSON no validator has seen (the app's form). */
export const readToleranceFinding = (raw: unknown, equipmentId: string, newId: () => string): RecordedFinding =>
  toToleranceFinding(readContract(ToleranceInput, raw), equipmentId, newId);

export function writeToleranceFinding(f: RecordedFinding) {
  return { id: f.id, equipmentId: f.equipmentId, foundOn: f.foundOn, lastKnownGood: f.lastKnownGood, remarks: f.remarks };
}
