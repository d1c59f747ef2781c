/**
 * The reported result: the expanded uncertainty to two significant digits and
 * the estimate rounded to the same decimal place (GUM 7.2.6). Half-way cases
 * round half-up in magnitude, as calibration certificates customarily do.
 */
import { Decimal } from '../numeric/decimal.ts';

export interface RoundedResult {
  readonly value: string;
  readonly uncertainty: string;
  /** The decimal place both are rounded to (number of decimals; negative for tens, hundreds…). */
  readonly decimals: number;
}

/**
 * @param digits significant digits of the uncertainty (GUM 7.2.6: "at most two")
 * @example roundForReport(Decimal('50.000838'), Decimal('0.0000929')) //=> { value: '50.000838', uncertainty: '0.000093', decimals: 6 }
 */
export function roundForReport(value: Decimal, uncertainty: Decimal, digits = 2): RoundedResult {
  if (uncertainty.isZero()) return { value: value.toString(), uncertainty: '0', decimals: Math.max(0, value.decimalPlaces()) };
  const u = uncertainty.abs().toSignificantDigits(digits, Decimal.ROUND_HALF_UP);
  // exponent of the last kept digit: e.g. 0.000093 → last digit at 10⁻⁶
  const decimals = digits - 1 - u.e;
  const scale = new Decimal(10).pow(-decimals);
  const round = (d: Decimal) =>
    decimals >= 0 ? d.toFixed(decimals, Decimal.ROUND_HALF_UP) : d.div(scale).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(scale).toFixed(0);
  const uText = decimals >= 0 ? u.toFixed(decimals) : u.toFixed(0);
  let vText = round(value);
  if (/^-0(\.0*)?$/.test(vText)) vText = vText.slice(1);
  return { value: vText, uncertainty: uText, decimals };
}
