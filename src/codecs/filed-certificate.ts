/** A filed certificate on the wire (core/registry/filed-certificate.ts, contracts/dcc.ts): what was filed, by whom, and its one decision; a rejection's reason read. */
import { fail } from '../core/errors.ts';
import { type FiledCertificate, filedState } from '../core/registry/filed-certificate.ts';
import type { RejectInputShape } from './contracts/dcc.ts';

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

/** The reason a lab rejects a filed certificate: said, not blank. */
export function toRejectionReason(i: RejectInputShape): string {
  const reason = i.reason.trim();
  if (reason === '') fail('MISSING_FIELD', '/reason', 'say why the certificate is rejected (e.g. "not issued by us", "numbers do not match our copy")');
  return reason;
}
