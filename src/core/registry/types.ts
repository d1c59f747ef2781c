/**
 * Value types of the equipment and calibration registry. Decimals are Decimal,
 * dates are CalendarDate; ids are opaque strings chosen by the caller or the store.
 */
import type { CalendarDate } from '../dates.ts';
import type { DecisionRule } from '../conformity/decision-rule.ts';
import type { DecimalText } from '../numeric/decimal.ts';
import type {
  CertificateKind,
  Conformity,
  EquipmentStatus,
  HierarchyLevel,
  OrganisationKind,
  QuantityKind,
  RecordKind,
  Usage,
  VerificationType,
} from './vocabulary.ts';

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  /** Administrative division code (GB/T 2260), six digits, e.g. "310000". */
  readonly regionCode: string;
  /** Accreditation or authorisation number, when the organisation has one. */
  readonly accreditation: string | null;
}

/** A closed measuring range with its unit; either bound may be open (null). */
export interface MeasuringRange {
  readonly min: DecimalText | null;
  readonly max: DecimalText | null;
  readonly unit: string;
}

/** What a lab is authorised (or accredited) to calibrate or verify, and when. */
export interface LabScope {
  readonly id: string;
  readonly labId: string;
  readonly quantity: QuantityKind;
  /** Catalogue category code (强制检定目录), when the scope is for one category. */
  readonly category: string | null;
  readonly range: MeasuringRange | null;
  readonly mandatoryVerification: boolean;
  readonly validFrom: CalendarDate;
  readonly validUntil: CalendarDate;
  /** 授权证书编号: the number of the authorisation certificate the scope is granted by, when given. */
  readonly authorisationNo?: string | null;
  /** The regulator organisation that issued the authorisation, when given. */
  readonly issuedBy?: string | null;
}

/**
 * A calibration and measurement capability (CMC) of a lab, from its accreditation
 * scope: the smallest expanded uncertainty it may report for a quantity over a
 * range, absolute (in the range's unit) or relative to the value.
 */
export interface Cmc {
  readonly id: string;
  readonly labId: string;
  readonly quantity: QuantityKind;
  readonly range: MeasuringRange;
  readonly expandedUncertainty: DecimalText | null;
  readonly relativeExpandedUncertainty: DecimalText | null;
  readonly coverageFactor: DecimalText;
  readonly validFrom: CalendarDate;
  readonly validUntil: CalendarDate;
}

/** How accurate an equipment is claimed to be. */
export type Accuracy =
  | { readonly kind: 'mpe'; readonly mpe: DecimalText; readonly unit: string }
  | { readonly kind: 'class'; readonly accuracyClass: string }
  | { readonly kind: 'expanded'; readonly expandedUncertainty: DecimalText; readonly coverageFactor: DecimalText; readonly unit: string };

/** 计量标准考核证书: the certificate that a measurement standard passed its assessment. */
export interface AssessmentCertificate {
  readonly certificateNo: string;
  readonly validFrom: CalendarDate;
  readonly validUntil: CalendarDate;
}

/** A measurement standard or a working instrument. */
export interface Equipment {
  readonly id: string;
  readonly ownerId: string;
  readonly name: string;
  readonly assetCode: string | null;
  readonly serialNumber: string | null;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly quantity: QuantityKind;
  readonly range: MeasuringRange;
  readonly accuracy: Accuracy;
  readonly level: HierarchyLevel;
  /** Catalogue category code for instruments that the State catalogue may cover. */
  readonly category: string | null;
  readonly usage: Usage;
  readonly status: EquipmentStatus;
  readonly assessment: AssessmentCertificate | null;
  /** For a national primary standard: how it realises the SI, or the NMI certificate under the CIPM MRA. */
  readonly realisation: string | null;
  /** 型式批准编号: the pattern-approval number of the instrument's type, when it has one. */
  readonly patternApprovalNo?: string | null;
}

/** One measured point of a calibration (or of a verification that records them). */
export interface MeasuredPoint {
  readonly nominal: DecimalText;
  readonly asFound: DecimalText | null;
  readonly asLeft: DecimalText | null;
  readonly expandedUncertainty: DecimalText | null;
  readonly coverageFactor: DecimalText | null;
  readonly unit: string;
}

/** A condition under which a calibration was performed (temperature, humidity, …), DCC influenceCondition. */
export interface InfluenceCondition {
  readonly name: string;
  readonly value: DecimalText;
  readonly unit: string;
  readonly expandedUncertainty: DecimalText | null;
  readonly coverageFactor: DecimalText | null;
}

/**
 * A calibration or verification record. Append-only: a correction is a new
 * record whose `supersedes` names the one it replaces.
 */
export interface CalibrationRecord {
  readonly id: string;
  readonly kind: RecordKind;
  readonly subjectId: string;
  readonly labId: string;
  readonly referenceIds: readonly string[];
  readonly certificateNo: string;
  readonly performedOn: CalendarDate;
  /**
   * The last day the record is valid (有效期至, or a calibration's recommended
   * recalibration date). A passed verification states it; a failed one never
   * does (a 检定结果通知书 carries no validity); a calibration may omit it, and
   * then its validity follows the owner's interval policy, or it has none
   * beyond its own day (core/registry/validity.ts).
   */
  readonly validUntil: CalendarDate | null;
  /** The conformity decision of a verification; null for a calibration. */
  readonly conformity: Conformity | null;
  readonly points: readonly MeasuredPoint[];
  readonly supersedes: string | null;
  readonly remarks: string | null;
  /**
   * The decision rule a verification stated for its conformity decision (ILAC G8);
   * when given, the decision is checked against the points and the MPE.
   */
  readonly decisionRule?: DecisionRule | null;
  /** The influence conditions of the measurement, when recorded. */
  readonly conditions?: readonly InfluenceCondition[];
  /**
   * Reference standards outside this registry that the certificate names (e.g.
   * a DCC from another registry's lab), as the certificate identifies them:
   * kept so the record says what it used, never checked, never followed.
   */
  readonly externalReferences?: readonly string[];
  /** Why a verification was performed (首次/后续/周期/修理后检定, 使用中检查); never on a calibration. */
  readonly verificationType?: VerificationType | null;
  /** 检定依据 / 校准依据: the regulation or specification followed, e.g. "JJG 539-2016". */
  readonly procedure?: string | null;
  /** 检定员 (or 校准员): who performed it, a name as printed, not an account. */
  readonly verifier?: string | null;
  /** 核验员: who checked it. */
  readonly checker?: string | null;
  /** 批准人: who approved the certificate. */
  readonly approver?: string | null;
  /** The document issued; when absent it is the one certificateKindOf gives, and a stated one must agree with it. */
  readonly certificateKind?: CertificateKind | null;
  /** 合格证号: the number of the label stuck on a passed instrument. */
  readonly labelNo?: string | null;
  /** 封印号: the number of the seal applied. */
  readonly sealNo?: string | null;
  /** 送检单位: the customer who submitted the instrument, when not its owner. */
  readonly customerName?: string | null;
}
