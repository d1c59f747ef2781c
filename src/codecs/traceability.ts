/** A traceability result on the wire: the chain as a tree, findings with stable codes. */
import type { ChainLink, Finding, TraceResult } from '../core/traceability/chain.ts';

export function writeFinding(f: Finding) {
  return { code: f.code, equipmentId: f.equipmentId, recordId: f.recordId, date: f.date, message: f.message };
}

export interface WireLink {
  equipmentId: string;
  name: string | null;
  level: string | null;
  quantity: string | null;
  at: string;
  record: { id: string; kind: string; certificateNo: string; performedOn: string; validUntil: string; conformity: string | null; labId: string; labName: string | null } | null;
  realisation: string | null;
  findings: ReturnType<typeof writeFinding>[];
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
    references: l.references.map(writeLink),
  };
}

export function writeTrace(t: TraceResult) {
  return { equipmentId: t.equipmentId, at: t.at, traceable: t.traceable, findings: t.findings.map(writeFinding), chain: writeLink(t.chain) };
}
