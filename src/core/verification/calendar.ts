/**
 * What goes on an organisation's calendar of due dates: the day each of its
 * mandatory instruments falls due for verification, the day each of its
 * measurement standards' certificates and 考核证书 ends, and — on the day the
 * calendar is read — every instrument that may already not be used. Pure: the
 * statuses and the standards' validity come in, dated entries go out.
 */
import { addDays, type CalendarDate, compareDates } from '../dates.ts';
import type { AssessmentCertificate, Equipment } from '../registry/types.ts';
import { isUsable, type VerificationStatus } from './status.ts';

export type CalendarEntryKind = 'verification_due' | 'replacement_due' | 'not_usable' | 'certificate_ends' | 'assessment_ends';

export interface CalendarEntry {
  /** Stable across readings, so that a calendar application updates an entry instead of adding another. */
  readonly uid: string;
  readonly kind: CalendarEntryKind;
  readonly on: CalendarDate;
  readonly equipmentId: string;
  readonly name: string;
  readonly assetCode: string | null;
  /** The certificate (or 考核证书) the date belongs to, when there is one. */
  readonly certificateNo: string | null;
  /** The verification state on the day the calendar was read (due and not-usable entries). */
  readonly state: VerificationStatus['state'] | null;
  /** For an entry shown on the day read instead of its own date: the first day the instrument or certificate was no longer valid. */
  readonly since: CalendarDate | null;
}

export interface StandardValidity {
  readonly equipment: Pick<Equipment, 'id' | 'name' | 'assetCode'>;
  /** Its calibration or verification in force on the day read, and the last day it is valid. */
  readonly certificateNo: string | null;
  readonly validUntil: CalendarDate | null;
  readonly assessment: AssessmentCertificate | null;
}

export interface CalendarInput {
  readonly at: CalendarDate;
  /** How far ahead the calendar looks (days). */
  readonly horizonDays: number;
  readonly due: ReadonlyArray<{ readonly status: VerificationStatus; readonly name: string; readonly assetCode: string | null }>;
  readonly standards: readonly StandardValidity[];
}

/**
 * The entries of the calendar read on `at`, by date then equipment. An
 * instrument that may not be used today (overdue, never verified, failed,
 * prohibited, suspect…) is shown today, with the day it lapsed where there is
 * one: an entry on a past day is one nobody sees. The rest fall on their due
 * date within the horizon: the day to be verified by, or — for a category
 * verified once and used for a limited life (首次强制检定，限期使用) — the day
 * to be replaced by, which no verification extends.
 */
export function calendarEntries(input: CalendarInput): CalendarEntry[] {
  const until = addDays(input.at, input.horizonDays);
  const out: CalendarEntry[] = [];
  for (const d of input.due) {
    const s = d.status;
    const base = { equipmentId: s.equipmentId, name: d.name, assetCode: d.assetCode, certificateNo: s.record?.certificateNo ?? null, state: s.state };
    if (!isUsable(s)) {
      out.push({
        ...base,
        uid: `${s.equipmentId}/not-usable`,
        kind: 'not_usable',
        on: input.at,
        since: s.dueOn !== null && s.dueOn < input.at ? addDays(s.dueOn, 1) : null,
      });
    } else if (s.dueOn !== null && s.dueOn <= until) {
      const replace = s.classification.entry?.form === 'initial_then_replace';
      out.push({
        ...base,
        uid: `${s.equipmentId}/${replace ? 'replace' : 'due'}/${s.dueOn}`,
        kind: replace ? 'replacement_due' : 'verification_due',
        on: s.dueOn,
        since: null,
      });
    }
  }
  for (const st of input.standards) {
    const base = { equipmentId: st.equipment.id, name: st.equipment.name, assetCode: st.equipment.assetCode, state: null };
    if (st.validUntil !== null && st.validUntil <= until) {
      const lapsed = st.validUntil < input.at;
      out.push({
        ...base,
        uid: `${st.equipment.id}/certificate/${st.certificateNo ?? ''}`,
        kind: 'certificate_ends',
        on: lapsed ? input.at : st.validUntil,
        certificateNo: st.certificateNo,
        since: lapsed ? addDays(st.validUntil, 1) : null,
      });
    }
    const a = st.assessment;
    if (a !== null && a.validUntil <= until) {
      const lapsed = a.validUntil < input.at;
      out.push({
        ...base,
        uid: `${st.equipment.id}/assessment/${a.certificateNo}`,
        kind: 'assessment_ends',
        on: lapsed ? input.at : a.validUntil,
        certificateNo: a.certificateNo,
        since: lapsed ? addDays(a.validUntil, 1) : null,
      });
    }
  }
  return out.sort((x, y) => compareDates(x.on, y.on) || (x.uid < y.uid ? -1 : x.uid > y.uid ? 1 : 0));
}
