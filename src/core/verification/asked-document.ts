/**
 * The document a person looked an instrument up by, beside the status.
 *
 * The public lookup answers with the instrument's status today, which rests
 * on one record (its latest current verification, or calibration). Someone
 * who types the number on an old certificate, a failed-result notice or a
 * label gets that status too; the answer must then also say that the
 * document in their hand is not the one it rests on, and why: corrected by
 * another, followed by a later record, or not the kind of record the status
 * rests on (a calibration certificate for an instrument under mandatory
 * verification). Otherwise "may be used" reads as the verdict on the paper
 * they hold.
 */
import type { CalendarDate } from '../dates.ts';
import type { CalibrationRecord } from '../registry/types.ts';
import type { CertificateKind, RecordKind } from '../registry/vocabulary.ts';

/** A record that carries the number looked up, with the correction that replaced it, if any. */
export interface NumberedRecord {
  readonly id: string;
  readonly subjectId: string;
  readonly kind: RecordKind;
  readonly certificateNo: string;
  readonly certificateKind: CertificateKind;
  readonly performedOn: CalendarDate;
  /** The certificate number of the record that supersedes this one (a correction), if any. */
  readonly supersededBy: string | null;
}

/**
 * How the document looked up stands:
 * - `current`: the status rests on it;
 * - `superseded`: a correction replaced it (`supersededBy`);
 * - `replaced`: a later record is the one the status rests on;
 * - `not_the_basis`: the status does not rest on it for another reason (a
 *   calibration of an instrument whose status rests on verification, or a
 *   status that rests on no record).
 */
export const ASKED_STANDINGS = ['current', 'superseded', 'replaced', 'not_the_basis'] as const;
export type AskedStanding = (typeof ASKED_STANDINGS)[number];

export interface AskedDocument {
  /** The number as looked up, and which it is: a certificate's number, or the number printed on a label (合格证号). */
  readonly number: string;
  readonly by: 'certificateNo' | 'labelNo';
  readonly certificateNo: string;
  readonly certificateKind: CertificateKind;
  readonly performedOn: CalendarDate;
  readonly standing: AskedStanding;
  readonly supersededBy: string | null;
}

/**
 * The document the number names, for an instrument whose status rests on
 * `basis`: of the instrument's records carrying the number, the basis itself
 * when it is one, else the latest. Null when none carries it.
 */
export function askedDocument(
  asked: { readonly number: string; readonly by: AskedDocument['by'] },
  carrying: readonly NumberedRecord[],
  basis: Pick<CalibrationRecord, 'id' | 'performedOn'> | null,
): AskedDocument | null {
  if (carrying.length === 0) return null;
  const chosen =
    carrying.find((r) => r.id === basis?.id) ??
    carrying.reduce((a, b) => (b.performedOn > a.performedOn || (b.performedOn === a.performedOn && b.id > a.id) ? b : a));
  const standing: AskedStanding =
    chosen.id === basis?.id
      ? 'current'
      : chosen.supersededBy !== null
        ? 'superseded'
        : basis !== null && chosen.performedOn <= basis.performedOn
          ? 'replaced'
          : 'not_the_basis';
  return {
    number: asked.number,
    by: asked.by,
    certificateNo: chosen.certificateNo,
    certificateKind: chosen.certificateKind,
    performedOn: chosen.performedOn,
    standing,
    supersededBy: chosen.supersededBy,
  };
}
