/**
 * How long a record may be relied on, when it does not say so itself.
 *
 * A passed verification always states its validity (有效期至). A failed one
 * never does: a 检定结果通知书 claims nothing. A calibration certificate may
 * leave the recalibration date to the user (ILAC-G24: the interval is the
 * owner's decision). Then the record counts as valid for the interval the
 * owner's policy sets for the instrument (the catalogue's legal interval, as a
 * local policy may shorten it), from the performance date; and where no
 * policy sets one it has **no stated validity**: it vouches for its own day
 * and no further. That is what an inspector accepts for a measurement
 * standard (JJF 1033 asks that its traceability certificate be within its
 * validity): a certificate without a date is not evidence of validity today,
 * so a standard is never treated as valid forever because its calibration
 * named no date. The chain says so with its own finding (NO_STATED_VALIDITY)
 * rather than "expired".
 */
import { addDays, addMonths, type CalendarDate } from '../dates.ts';
import type { CalibrationRecord } from './types.ts';

/** Where a record's last valid day comes from. */
export type ValidityBasis = 'stated' | 'interval' | 'none';

export interface Validity {
  /** The last day the record may be relied on (for basis 'none', its performance date). */
  readonly until: CalendarDate;
  readonly basis: ValidityBasis;
}

/**
 * The last day a record may be relied on: its stated validUntil; else the
 * performance date plus the policy's interval less a day; else its own day.
 * @param intervalMonths the owner's interval policy for the instrument, null when none applies
 * @example validityOf({ performedOn: '2026-03-01', validUntil: null, … }, 12) //=> { until: '2027-02-28', basis: 'interval' }
 */
export function validityOf(record: Pick<CalibrationRecord, 'performedOn' | 'validUntil'>, intervalMonths: number | null): Validity {
  if (record.validUntil !== null) return { until: record.validUntil, basis: 'stated' };
  if (intervalMonths !== null && intervalMonths > 0) return { until: addDays(addMonths(record.performedOn, intervalMonths), -1), basis: 'interval' };
  return { until: record.performedOn, basis: 'none' };
}
