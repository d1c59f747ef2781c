/**
 * The energy-metering audit of an organisation (能源计量审查) against the rules
 * of GB 17167: equipping rate per metering level and energy type, meters below
 * the required accuracy, meters whose verification or calibration is not in
 * force, meters whose traceability chain is broken. Every finding names the
 * rule and the metering point; the verdict is compliant only without a
 * nonconformity. Findings are values, never exceptions.
 */
import type { CalendarDate } from '../dates.ts';
import { Decimal } from '../numeric/decimal.ts';
import type { EnergyRules, EnergyType, ElectricityUserClass, MeteringLevel, Sourced, Threshold } from './rules.ts';
import { METERING_LEVELS } from './rules.ts';
import { USABLE_STATES, type VerificationState } from '../verification/status.ts';
import { type FindingCode, LAPSE_CODES } from '../traceability/chain.ts';

export interface MeteringPoint {
  readonly id: string;
  readonly level: MeteringLevel;
  readonly energyType: EnergyType;
  readonly name: string;
  /** The consumption or rated power that decides whether a sub-unit or equipment is major. */
  readonly consumption: { readonly value: Decimal; readonly unit: string } | null;
  /** The meter installed (an equipment of the registry), or null. */
  readonly equipmentId: string | null;
  /** For coal and coke at the boundary: static or dynamic weighing. */
  readonly weighing: 'static' | 'dynamic' | null;
  /** For water at the boundary: the nominal pipe size (DN, mm). */
  readonly pipeDn: number | null;
}

export interface Inventory {
  readonly organisationId: string;
  /** DL/T 448 user class of the organisation's electricity supply (decides the boundary meter's grade). */
  readonly electricityUserClass: ElectricityUserClass | null;
  readonly points: readonly MeteringPoint[];
}

/** What the audit needs to know about one installed meter, gathered by the app. */
export interface MeterFacts {
  readonly equipmentId: string;
  readonly name: string;
  /** The accuracy class as written on the equipment, or null when it is stated otherwise. */
  readonly accuracyClass: string | null;
  /** True when verification is mandatory for it (then its verification status counts). */
  readonly mandatory: boolean;
  /** Its verification status (in_force, overdue, …). */
  readonly verificationState: VerificationState;
  /** What its status says, in words (why it is to be replaced, for one); omitted in audits stored before it was kept. */
  readonly statusMessage?: string;
  /** Findings of the traceability chain at the audit date on the meter's own link. */
  readonly ownFindings: ReadonlyArray<{ readonly code: FindingCode; readonly message: string }>;
  /** Findings further up the chain. */
  readonly chainFindings: ReadonlyArray<{ readonly code: FindingCode; readonly equipmentId: string; readonly message: string }>;
}

export const AUDIT_FINDINGS = {
  EQUIPPING_RATE_LOW: 'the equipping rate of a level and energy type is below the required rate',
  METER_MISSING: 'a metering point that the rules require has no meter',
  ACCURACY_BELOW_REQUIRED: "the meter's accuracy grade is worse than the grade required",
  ACCURACY_UNDECIDED: 'the required or actual accuracy grade cannot be decided from the data given',
  VERIFICATION_NOT_IN_FORCE: "the meter's verification or calibration is not in force at the audit date",
  METER_TO_BE_REPLACED: 'the meter is past its limited service life, or a member of a lot of meters in service to be rotated: it is to be replaced',
  CHAIN_BROKEN: "the meter's traceability chain is broken above it",
  UNKNOWN_METER: 'a metering point names an equipment that is not in the registry',
} as const;
export type AuditFindingCode = keyof typeof AUDIT_FINDINGS;

export interface AuditFinding {
  readonly code: AuditFindingCode;
  readonly severity: 'nonconformity' | 'observation';
  readonly level: MeteringLevel;
  readonly energyType: EnergyType;
  readonly pointId: string | null;
  readonly equipmentId: string | null;
  /** The rule, e.g. "GB 17167-2006 equipping-rate table: electricity, major secondary units 100 %". */
  readonly rule: string;
  readonly message: string;
}

export interface RateRow {
  readonly level: MeteringLevel;
  readonly energyType: EnergyType;
  /** Metering points the rules require (Nl). */
  readonly required: number;
  /** Of those, points with a meter (Ns). */
  readonly installed: number;
  /** Ns / Nl × 100, exact; null when nothing is required. */
  readonly rate: Decimal | null;
  readonly requiredRate: Decimal | null;
  readonly meets: boolean | null;
  readonly rule: string;
}

export interface PointAssessment {
  readonly pointId: string;
  readonly required: boolean;
  readonly reason: string;
}

export interface EnergyAudit {
  readonly organisationId: string;
  readonly at: CalendarDate;
  readonly rulesVersion: string;
  readonly verdict: 'compliant' | 'non_compliant';
  readonly rates: readonly RateRow[];
  readonly points: readonly PointAssessment[];
  readonly findings: readonly AuditFinding[];
}

const LEVEL_WORDS: Readonly<Record<MeteringLevel, string>> = {
  organisation: "the organisation's boundary (进出用能单位)",
  sub_unit: 'major secondary units (进出主要次级用能单位)',
  equipment: 'major energy-using equipment (主要用能设备)',
};

/** The leading number of an accuracy class or grade ("0.5S" → 0.5, "2.0" → 2); null when there is none. */
export function gradeNumber(text: string): Decimal | null {
  const m = /^\s*(\d+(?:\.\d+)?)/.exec(text);
  return m ? new Decimal(m[1]!) : null;
}

function requiredGrade(rules: EnergyRules, inventory: Inventory, p: MeteringPoint): { grade: string | null; rule: string; missing?: string } | null {
  const r = rules.accuracy.get(p.energyType);
  if (!r || p.level !== 'organisation') return null;
  const base = `${rules.version} ${r.clause}: ${p.energyType}`;
  const a = r.value;
  switch (a.kind) {
    case 'fixed':
      return { grade: a.grade, rule: `${base}, grade ${a.grade}` };
    case 'by_user_class':
      return inventory.electricityUserClass
        ? {
            grade: a.grades[inventory.electricityUserClass],
            rule: `${base}, user class ${inventory.electricityUserClass}: grade ${a.grades[inventory.electricityUserClass]}`,
          }
        : { grade: null, rule: base, missing: 'the electricity user class (I–V) of the organisation' };
    case 'by_weighing':
      return p.weighing
        ? { grade: a[p.weighing], rule: `${base}, ${p.weighing} weighing: grade ${a[p.weighing]}` }
        : { grade: null, rule: base, missing: 'whether the fuel is weighed statically or dynamically' };
    case 'by_pipe_size':
      return p.pipeDn !== null
        ? { grade: p.pipeDn <= 250 ? a.upTo250 : a.above250, rule: `${base}, DN ${p.pipeDn}: grade ${p.pipeDn <= 250 ? a.upTo250 : a.above250}` }
        : { grade: null, rule: base, missing: 'the pipe size (DN) of the water meter' };
  }
}

function applies(rules: EnergyRules, p: MeteringPoint): PointAssessment {
  if (p.level === 'organisation') return { pointId: p.id, required: true, reason: 'every energy flow entering or leaving the organisation is metered' };
  const table = p.level === 'sub_unit' ? rules.majorSubUnit : rules.majorEquipment;
  const limit: Sourced<Threshold> | undefined = table.get(p.energyType);
  const what = p.level === 'sub_unit' ? 'major secondary unit' : 'major energy-using equipment';
  if (!limit) return { pointId: p.id, required: false, reason: `${rules.version} sets no ${what} threshold for ${p.energyType}` };
  if (!p.consumption) return { pointId: p.id, required: true, reason: `no consumption given: treated as a ${what}` };
  const t = limit.value;
  const major = p.consumption.value.greaterThanOrEqualTo(t.value);
  return {
    pointId: p.id,
    required: major,
    reason: `${p.consumption.value.toString()} ${p.consumption.unit} ${major ? '≥' : '<'} ${t.value.toString()} ${t.unit} (${rules.version} ${limit.clause}): ${major ? '' : 'not '}a ${what}`,
  };
}

export function auditEnergyMetering(rules: EnergyRules, inventory: Inventory, meters: ReadonlyMap<string, MeterFacts>, at: CalendarDate): EnergyAudit {
  const findings: AuditFinding[] = [];
  const points = inventory.points.map((p) => applies(rules, p));
  const requiredById = new Map(points.map((a) => [a.pointId, a.required]));
  const rates: RateRow[] = [];

  const groups = new Map<string, MeteringPoint[]>();
  for (const p of inventory.points) {
    const key = `${METERING_LEVELS.indexOf(p.level)}|${p.energyType}`;
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  }
  for (const key of [...groups.keys()].sort()) {
    const list = groups.get(key)!;
    const { level, energyType } = list[0]!;
    const required = list.filter((p) => requiredById.get(p.id));
    const installed = required.filter((p) => p.equipmentId !== null);
    const row = rules.rates.get(energyType)?.[level];
    const requiredRate = row?.value ?? null;
    const rule = row
      ? `${rules.version} ${row.clause}: ${energyType} at ${LEVEL_WORDS[level]}${requiredRate ? ` ≥ ${requiredRate.toString()} %` : ': no required rate'}`
      : `${rules.version}: no rate for ${energyType}`;
    const rate = required.length === 0 ? null : new Decimal(installed.length).times(100).div(required.length);
    const meets = rate === null || requiredRate === null ? null : rate.greaterThanOrEqualTo(requiredRate);
    rates.push({ level, energyType, required: required.length, installed: installed.length, rate, requiredRate, meets, rule });
    if (meets === false) {
      findings.push({
        code: 'EQUIPPING_RATE_LOW',
        severity: 'nonconformity',
        level,
        energyType,
        pointId: null,
        equipmentId: null,
        rule,
        message: `${installed.length} of ${required.length} required points metered (${rate!.toDecimalPlaces(1, Decimal.ROUND_DOWN).toString()} %), below the required ${requiredRate!.toString()} %`,
      });
    }
    for (const p of required) {
      if (p.equipmentId !== null) continue;
      findings.push({
        code: 'METER_MISSING',
        severity: meets === false ? 'nonconformity' : 'observation',
        level,
        energyType,
        pointId: p.id,
        equipmentId: null,
        rule,
        message: `${p.name} is a required metering point and has no meter${meets === false ? '' : ' (the level still meets its rate)'}`,
      });
    }
  }

  for (const p of inventory.points) {
    if (p.equipmentId === null) continue;
    const m = meters.get(p.equipmentId);
    const at0 = { level: p.level, energyType: p.energyType, pointId: p.id, equipmentId: p.equipmentId };
    if (!m) {
      findings.push({
        ...at0,
        code: 'UNKNOWN_METER',
        severity: 'nonconformity',
        rule: 'the meter must be in the register of energy measuring instruments',
        message: `${p.name}: equipment '${p.equipmentId}' is not in the registry`,
      });
      continue;
    }
    if (requiredById.get(p.id)) {
      const req = requiredGrade(rules, inventory, p);
      if (req) {
        const actual = m.accuracyClass === null ? null : gradeNumber(m.accuracyClass);
        const needed = req.grade === null ? null : gradeNumber(req.grade);
        if (req.missing || actual === null || needed === null) {
          const why = req.missing ? `give ${req.missing}` : `the meter's accuracy is not stated as a class (${m.accuracyClass ?? 'no class'})`;
          findings.push({
            ...at0,
            code: 'ACCURACY_UNDECIDED',
            severity: 'observation',
            rule: req.rule,
            message: `${p.name} (${m.name}): the accuracy requirement cannot be checked: ${why}`,
          });
        } else if (actual.greaterThan(needed)) {
          findings.push({
            ...at0,
            code: 'ACCURACY_BELOW_REQUIRED',
            severity: 'nonconformity',
            rule: req.rule,
            message: `${p.name} (${m.name}) is class ${m.accuracyClass}; grade ${req.grade} or better is required`,
          });
        }
      }
    }
    const lapses = m.ownFindings.filter((f) => LAPSE_CODES.has(f.code));
    // a meter past its life, or of a lot whose sample was not accepted (or whose extension or life ended), is replaced
    const replace = m.verificationState === 'to_rotate' || (m.mandatory && m.verificationState === 'service_life_ended');
    if (replace) {
      findings.push({
        ...at0,
        code: 'METER_TO_BE_REPLACED',
        severity: 'nonconformity',
        rule: `${rules.version} management requirements with the catalogue's 首次强制检定，限期使用，到期轮换: a meter past its service life, or of a lot not accepted in in-service sampling (GB/T 2828.1), is replaced`,
        message: `${p.name} (${m.name}): ${m.statusMessage ?? `verification status ${m.verificationState}`}`,
      });
    }
    // a suspect verification is in force; its chain's findings are reported below as CHAIN_BROKEN
    if ((m.mandatory && !replace && !USABLE_STATES.has(m.verificationState) && m.verificationState !== 'suspect') || lapses.length > 0) {
      const why = lapses.length > 0 ? lapses.map((f) => `${f.code}: ${f.message}`).join('; ') : `verification status ${m.verificationState}`;
      findings.push({
        ...at0,
        code: 'VERIFICATION_NOT_IN_FORCE',
        severity: 'nonconformity',
        rule: `${rules.version} management requirements: a meter that failed or is past its verification or calibration period is not used`,
        message: `${p.name} (${m.name}): ${why}`,
      });
    }
    const broken = [...m.ownFindings.filter((f) => !LAPSE_CODES.has(f.code)).map((f) => ({ ...f, equipmentId: m.equipmentId })), ...m.chainFindings];
    if (broken.length > 0) {
      findings.push({
        ...at0,
        code: 'CHAIN_BROKEN',
        severity: 'nonconformity',
        rule: `${rules.version} management requirements: energy measuring instruments trace to national standards`,
        message: `${p.name} (${m.name}): ${broken.map((f) => `${f.code} at ${f.equipmentId}`).join('; ')}`,
      });
    }
  }
  const order: Record<AuditFindingCode, number> = {
    EQUIPPING_RATE_LOW: 0,
    METER_MISSING: 1,
    UNKNOWN_METER: 2,
    ACCURACY_BELOW_REQUIRED: 3,
    METER_TO_BE_REPLACED: 4,
    VERIFICATION_NOT_IN_FORCE: 5,
    CHAIN_BROKEN: 6,
    ACCURACY_UNDECIDED: 7,
  };
  findings.sort(
    (a, b) =>
      METERING_LEVELS.indexOf(a.level) - METERING_LEVELS.indexOf(b.level) ||
      (a.energyType < b.energyType ? -1 : a.energyType > b.energyType ? 1 : 0) ||
      order[a.code] - order[b.code] ||
      ((a.pointId ?? '') < (b.pointId ?? '') ? -1 : 1),
  );
  return {
    organisationId: inventory.organisationId,
    at,
    rulesVersion: rules.version,
    verdict: findings.some((f) => f.severity === 'nonconformity') ? 'non_compliant' : 'compliant',
    rates,
    points,
    findings,
  };
}
