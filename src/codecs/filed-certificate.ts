/** A filed certificate on the wire (core/registry/filed-certificate.ts): what was filed, by whom, and its one decision. */
import { type FiledCertificate, filedState } from '../core/registry/filed-certificate.ts';

export function writeFiledCertificate(f: FiledCertificate) {
  const d = f.decision;
  return {
    id: f.id,
    subjectId: f.subjectId,
    labId: f.labId,
    certificateNo: f.certificateNo,
    performedOn: f.performedOn,
    filedBy: f.filedBy,
    filedByKey: f.filedByKey,
    filedAt: f.filedAt,
    state: filedState(f),
    decision:
      d === null
        ? null
        : {
            decision: d.decision,
            recordId: d.decision === 'confirmed' ? d.recordId : null,
            reason: d.decision === 'rejected' ? d.reason : null,
            decidedByKey: d.decidedByKey,
            decidedByOrganisation: d.decidedByOrganisation,
            decidedAt: d.decidedAt,
          },
    unmapped: [...f.unmapped],
  };
}
