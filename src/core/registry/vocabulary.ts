/**
 * The closed vocabularies of the registry. They are data: the database checks
 * the same lists (persistence/schema) and the HTTP schemas enumerate them.
 */

/** Who an organisation is in the value-transfer system. */
export const ORGANISATION_KINDS = [
  'legal_metrology_institute', // 法定计量检定机构 (national, provincial or municipal institute)
  'calibration_lab', // accredited calibration laboratory (CNAS / ISO/IEC 17025)
  'enterprise', // an instrument owner that is not an energy-using unit of record
  'energy_using_unit', // 用能单位 under energy-metering supervision
  'regulator', // market-regulation administration (市场监督管理局)
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** How a lab's scope or CMC changes after it is created: amended (a new version) or withdrawn (none from then). */
export const AMENDMENT_KINDS = ['amend', 'withdraw'] as const;
export type AmendmentKind = (typeof AMENDMENT_KINDS)[number];

/** Organisations that may perform calibrations and verifications. */
export const PERFORMING_KINDS: readonly OrganisationKind[] = ['legal_metrology_institute', 'calibration_lab'];

/**
 * The place of an equipment in the value-transfer hierarchy (量值传递), from the
 * national primary standard (国家计量基准) down to working instruments.
 */
export const HIERARCHY_LEVELS = [
  'national_primary_standard', // 国家计量基准
  'public_highest_standard', // 社会公用计量标准 (最高)
  'department_highest_standard', // 部门最高计量标准
  'enterprise_highest_standard', // 企事业单位最高计量标准
  'working_standard', // 工作计量标准
  'working_instrument', // 工作计量器具
] as const;
export type HierarchyLevel = (typeof HIERARCHY_LEVELS)[number];

/** True for every level that can serve as a reference for others. */
export function isStandardLevel(level: HierarchyLevel): boolean {
  return level !== 'working_instrument';
}

/** The usages that the Metrology Law names for mandatory verification, and the rest. */
export const USAGES = [
  'trade_settlement', // 贸易结算
  'safety_protection', // 安全防护
  'medical', // 医疗卫生
  'environmental_monitoring', // 环境监测
  'energy_metering', // 能源计量
  'other',
] as const;
export type Usage = (typeof USAGES)[number];

/** The four usages the Metrology Law (Art. 9) names for mandatory verification. */
export const STATUTORY_USAGES: readonly Usage[] = ['trade_settlement', 'safety_protection', 'medical', 'environmental_monitoring'];

/** Kinds of measured quantity; calibration-chains/ has one chart per main kind. */
export const QUANTITIES = [
  'mass',
  'length',
  'temperature',
  'pressure',
  'electrical_energy',
  'electrical_power',
  'voltage',
  'current',
  'resistance',
  'volume',
  'flow',
  'density',
  'force',
  'torque',
  'hardness',
  'time_frequency',
  'acoustics',
  'optics',
  'ionising_radiation',
  'chemical_composition',
  'humidity',
  'velocity',
  'heat',
] as const;
export type QuantityKind = (typeof QUANTITIES)[number];

export const EQUIPMENT_STATUSES = ['in_service', 'suspended', 'retired'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];

export const RECORD_KINDS = ['verification', 'calibration'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const CONFORMITY = ['pass', 'fail'] as const;
export type Conformity = (typeof CONFORMITY)[number];

/**
 * Why a verification was performed (JJF 1001 / the Metrology Law's implementing
 * rules): the first verification of a new instrument, a later one, the periodic
 * one the catalogue requires, one after a repair, or a check of an instrument
 * in use (使用中检查, by the regulator). A calibration has none.
 */
export const VERIFICATION_TYPES = [
  'initial', // 首次检定
  'subsequent', // 后续检定
  'periodic', // 周期检定
  'after_repair', // 修理后检定
  'in_use_check', // 使用中检查
] as const;
export type VerificationType = (typeof VERIFICATION_TYPES)[number];

/**
 * The document a record is issued as: a passed verification gets a 检定证书,
 * a failed one a 检定结果通知书 (no validity, no label), a calibration a 校准证书.
 */
export const CERTIFICATE_KINDS = [
  'verification_certificate', // 检定证书
  'result_notice', // 检定结果通知书
  'calibration_certificate', // 校准证书
] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

/** The one rule for which document a record is: a failed verification gets a result notice, never a certificate. */
export function certificateKindOf(kind: RecordKind, conformity: Conformity | null): CertificateKind {
  if (kind === 'calibration') return 'calibration_certificate';
  return conformity === 'fail' ? 'result_notice' : 'verification_certificate';
}

/** The document a record is issued as: the one it states, else the one certificateKindOf gives. */
export function documentOf(r: {
  readonly kind: RecordKind;
  readonly conformity: Conformity | null;
  readonly certificateKind?: CertificateKind | null | undefined;
}): CertificateKind {
  return r.certificateKind ?? certificateKindOf(r.kind, r.conformity);
}

export const ACCURACY_KINDS = ['mpe', 'class', 'expanded'] as const;
export type AccuracyKind = (typeof ACCURACY_KINDS)[number];
