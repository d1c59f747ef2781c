/**
 * The in-use inspection (使用中检查): what an inspector finds on site about an
 * instrument in use, and the outcome the findings call for.
 *
 * The outcome follows from the findings, most severe first:
 * - use prohibited (责令停止使用) when the verification is not in force on the
 *   day (overdue, never verified, failed, suspect…), the seal is broken, or an
 *   indication errs beyond the in-use MPE at a checked point;
 * - rectify by a date (限期整改) when the label is missing or does not match
 *   the certificate;
 * - compliant otherwise.
 * The inspector may state a stricter outcome than the findings call for (with
 * a remark saying why), never a more lenient one. A prohibition holds from the
 * day of the inspection until the instrument passes a verification performed
 * after that day (core/verification/status.ts).
 */
import { addDays, type CalendarDate } from '../dates.ts';
import { fail } from '../errors.ts';
import { Decimal } from '../numeric/decimal.ts';
import type { Accuracy } from '../registry/types.ts';

export const INSPECTION_OUTCOMES = ['compliant', 'rectify', 'prohibited'] as const;
export type InspectionOutcome = (typeof INSPECTION_OUTCOMES)[number];

export const OUTCOME_NAMES: Readonly<Record<InspectionOutcome, { zh: string; en: string }>> = {
  compliant: { zh: '合格', en: 'compliant' },
  rectify: { zh: '限期整改', en: 'rectify by a date' },
  prohibited: { zh: '责令停止使用', en: 'use prohibited' },
};

/** Why the findings call for their outcome. */
export const INSPECTION_REASONS = {
  verification_not_in_force: { outcome: 'prohibited', text: 'the verification is not in force on the day of the inspection' },
  seal_broken: { outcome: 'prohibited', text: 'the verification seal (封印) is broken' },
  in_use_error_exceeded: { outcome: 'prohibited', text: 'an indication errs beyond the in-use maximum permissible error' },
  label_missing: { outcome: 'rectify', text: 'no verification label (合格证) on the instrument' },
  label_mismatch: { outcome: 'rectify', text: 'the label does not match the certificate in force' },
} as const satisfies Record<string, { outcome: InspectionOutcome; text: string }>;
export type InspectionReason = keyof typeof INSPECTION_REASONS;

const SEVERITY: Readonly<Record<InspectionOutcome, number>> = { compliant: 0, rectify: 1, prohibited: 2 };

/**
 * The in-use maximum permissible error as a multiple of the verification MPE,
 * by catalogue category. Only figures whose source we could name are here; for
 * any other category the inspector gives the in-use MPE at each point.
 */
export const IN_USE_MPE_FACTORS: Readonly<
  Record<string, { readonly factor: string; readonly source: string; readonly confidence: 'high' | 'medium' | 'low' }>
> = {
  // 非自动衡器 (non-automatic weighing instruments)
  MV016: {
    factor: '2',
    source: 'OIML R 76-1:2006 §3.5.2 and JJG 539-2016: the maximum permissible errors in service are twice those on initial or subsequent verification',
    confidence: 'high',
  },
};

/** One point checked on site: the reference value applied and the instrument's indication. */
export interface InUsePoint {
  readonly nominal: Decimal;
  readonly indication: Decimal;
  readonly unit: string;
  /** The in-use MPE at this point, when the inspector states it; otherwise derived from the category and the equipment's MPE. */
  readonly inUseMpe: Decimal | null;
  /** The decimals as the inspector wrote them ("0.010" stays "0.010" on record). */
  readonly written?: { readonly nominal: string; readonly indication: string; readonly inUseMpe: string | null };
}

export interface InUseFindings {
  readonly labelPresent: boolean;
  /** Whether the label matches the certificate in force; null when there is no label to compare. */
  readonly labelMatches: boolean | null;
  /** Whether the seal is intact; null when the instrument carries none. */
  readonly sealIntact: boolean | null;
  readonly points: readonly InUsePoint[];
}

export interface PointJudgement {
  readonly written?: InUsePoint['written'];
  readonly nominal: Decimal;
  readonly indication: Decimal;
  readonly unit: string;
  readonly error: Decimal;
  readonly inUseMpe: Decimal;
  /** Where the in-use MPE came from: 'stated' by the inspector or 'derived' from the category table. */
  readonly mpeSource: 'stated' | 'derived';
  readonly withinMpe: boolean;
}

export interface InspectionJudgement {
  /** The outcome the findings call for. */
  readonly required: InspectionOutcome;
  readonly reasons: readonly InspectionReason[];
  readonly points: readonly PointJudgement[];
}

/**
 * Judges the findings. `usable` is whether the instrument's status on the day
 * lets it be used (the caller computes it from the registry, never from the
 * inspector's say); `category` and `accuracy` are the equipment's.
 */
export function judgeInspection(findings: InUseFindings, usable: boolean, category: string | null, accuracy: Accuracy): InspectionJudgement {
  const reasons: InspectionReason[] = [];
  if (!usable) reasons.push('verification_not_in_force');
  if (findings.sealIntact === false) reasons.push('seal_broken');
  if (!findings.labelPresent) {
    if (findings.labelMatches !== null)
      fail('INVALID_FIELD', '/findings/labelMatches', 'there is no label to compare: leave labelMatches null when labelPresent is false');
    reasons.push('label_missing');
  } else if (findings.labelMatches === false) reasons.push('label_mismatch');
  const factor = category ? IN_USE_MPE_FACTORS[category] : undefined;
  const points = findings.points.map((p, i): PointJudgement => {
    let inUseMpe = p.inUseMpe;
    let mpeSource: PointJudgement['mpeSource'] = 'stated';
    if (inUseMpe === null) {
      if (!factor || accuracy.kind !== 'mpe' || accuracy.unit !== p.unit) {
        fail(
          'MISSING_FIELD',
          `/findings/points/${i}/inUseMpe`,
          factor
            ? `the equipment's accuracy is not an MPE in ${p.unit}; state the in-use MPE at this point`
            : `no in-use MPE is on record for category ${category ?? '(none)'}; state the in-use MPE at this point from the verification regulation`,
        );
      }
      inUseMpe = new Decimal(accuracy.mpe).abs().times(factor.factor);
      mpeSource = 'derived';
    }
    if (inUseMpe.isNegative()) fail('INVALID_FIELD', `/findings/points/${i}/inUseMpe`, 'an MPE is a magnitude: give it without a sign');
    const error = p.indication.minus(p.nominal);
    return {
      ...(p.written ? { written: p.written } : {}),
      nominal: p.nominal,
      indication: p.indication,
      unit: p.unit,
      error,
      inUseMpe,
      mpeSource,
      withinMpe: error.abs().lte(inUseMpe),
    };
  });
  if (points.some((p) => !p.withinMpe)) reasons.push('in_use_error_exceeded');
  const required = reasons.reduce<InspectionOutcome>(
    (worst, r) => (SEVERITY[INSPECTION_REASONS[r].outcome] > SEVERITY[worst] ? INSPECTION_REASONS[r].outcome : worst),
    'compliant',
  );
  return { required, reasons, points };
}

/** The default time allowed to rectify (限期整改), when the inspector sets no date. */
export const DEFAULT_RECTIFY_DAYS = 15;

/**
 * The outcome recorded: the inspector's, when at least as strict as the
 * findings require, or the findings' own. A more lenient one is refused.
 * Returns the rectification deadline for 'rectify' (null otherwise).
 */
export function settleOutcome(
  judgement: InspectionJudgement,
  stated: InspectionOutcome | null,
  rectifyBy: CalendarDate | null,
  inspectedOn: CalendarDate,
  remarks: string | null,
): { outcome: InspectionOutcome; rectifyBy: CalendarDate | null } {
  const outcome = stated ?? judgement.required;
  if (SEVERITY[outcome] < SEVERITY[judgement.required]) {
    const why = judgement.reasons.map((r) => INSPECTION_REASONS[r].text).join('; ');
    fail(
      'OUTCOME_CONTRADICTS_FINDINGS',
      '/outcome',
      `the findings call for '${judgement.required}' (${why}); an inspection cannot record the more lenient '${outcome}'`,
    );
  }
  if (SEVERITY[outcome] > SEVERITY[judgement.required] && !remarks) {
    fail('MISSING_FIELD', '/remarks', `'${outcome}' is stricter than the findings call for ('${judgement.required}'): say why in remarks`);
  }
  if (outcome !== 'rectify') {
    if (rectifyBy !== null) fail('INVALID_FIELD', '/rectifyBy', `a rectification date belongs to a 'rectify' outcome, not '${outcome}'`);
    return { outcome, rectifyBy: null };
  }
  const by = rectifyBy ?? addDays(inspectedOn, DEFAULT_RECTIFY_DAYS);
  if (by <= inspectedOn) fail('INVALID_RANGE', '/rectifyBy', `the rectification date ${by} must fall after the inspection (${inspectedOn})`);
  return { outcome, rectifyBy: by };
}

/** A point as recorded: its decimals as the exact strings they were judged with. */
export interface RecordedPoint {
  readonly nominal: string;
  readonly indication: string;
  readonly unit: string;
  readonly error: string;
  readonly inUseMpe: string;
  readonly mpeSource: PointJudgement['mpeSource'];
  readonly withinMpe: boolean;
}

export function recordedPoint(p: PointJudgement): RecordedPoint {
  const w = p.written;
  return {
    nominal: w?.nominal ?? p.nominal.toString(),
    indication: w?.indication ?? p.indication.toString(),
    unit: p.unit,
    error: p.error.toString(),
    inUseMpe: (p.mpeSource === 'stated' ? w?.inUseMpe : null) ?? p.inUseMpe.toString(),
    mpeSource: p.mpeSource,
    withinMpe: p.withinMpe,
  };
}

/** An in-use inspection as recorded (append-only). */
export interface InUseInspection {
  readonly id: string;
  readonly equipmentId: string;
  /** The owner on the day: the organisation inspected. */
  readonly organisationId: string;
  /** The regulator whose inspector recorded it; null when loaded with a data set. */
  readonly regulatorId: string | null;
  /** The spot-check plan it was done under, if any. */
  readonly planId: string | null;
  readonly inspectedOn: CalendarDate;
  readonly inspectors: readonly string[];
  readonly labelPresent: boolean;
  readonly labelMatches: boolean | null;
  readonly sealIntact: boolean | null;
  /** The registry's verification state on the day (core/verification/status.ts). */
  readonly verificationState: string;
  readonly points: readonly RecordedPoint[];
  /** SHA-256 digests (64 hex digits) of the photographs. */
  readonly photos: readonly string[];
  readonly outcome: InspectionOutcome;
  readonly reasons: readonly InspectionReason[];
  readonly rectifyBy: CalendarDate | null;
  readonly remarks: string | null;
}

/**
 * Rectifications overdue at `at`: 'rectify' outcomes whose date has passed
 * with no compliant inspection of the same instrument after the order and on
 * or before its date.
 */
export function rectificationsOverdue(inspections: readonly InUseInspection[], at: CalendarDate): InUseInspection[] {
  return inspections.filter(
    (i) =>
      i.outcome === 'rectify' &&
      i.rectifyBy !== null &&
      i.rectifyBy < at &&
      !inspections.some((j) => j.equipmentId === i.equipmentId && j.outcome === 'compliant' && j.inspectedOn > i.inspectedOn && j.inspectedOn <= i.rectifyBy!),
  );
}
