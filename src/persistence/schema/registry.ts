/**
 * The registry tables. Vocabularies and orderings are checked by the database
 * as well as by the core, so that no code path can store a value the domain
 * would reject. Record tables are append-only (trigger in the migrations).
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { EVENT_KINDS } from '../../core/registry/events.ts';
import {
  ACCURACY_KINDS,
  AMENDMENT_KINDS,
  CONFORMITY,
  EQUIPMENT_STATUSES,
  HIERARCHY_LEVELS,
  ORGANISATION_KINDS,
  QUANTITIES,
  RECORD_KINDS,
  USAGES,
  CERTIFICATE_KINDS,
  VERIFICATION_TYPES,
} from '../../core/registry/vocabulary.ts';
import { createdAt, dateColumn, decimalColumn, inList } from './columns.ts';

export const organisations = pgTable(
  'organisations',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    regionCode: text('region_code').notNull(),
    accreditation: text('accreditation'),
    createdAt: createdAt(),
  },
  (t) => [
    check('organisations_kind_check', inList(t.kind, ORGANISATION_KINDS)),
    check('organisations_region_check', sql`${t.regionCode} ~ '^[0-9]{6}$'`),
    index('organisations_region_idx').on(t.regionCode),
  ],
);

export const labScopes = pgTable(
  'lab_scopes',
  {
    id: text('id').primaryKey(),
    labId: text('lab_id')
      .notNull()
      .references(() => organisations.id),
    quantity: text('quantity').notNull(),
    category: text('category'),
    rangeMin: decimalColumn('range_min'),
    rangeMax: decimalColumn('range_max'),
    rangeUnit: text('range_unit'),
    mandatoryVerification: boolean('mandatory_verification').notNull().default(false),
    validFrom: dateColumn('valid_from').notNull(),
    validUntil: dateColumn('valid_until').notNull(),
    /** 授权证书编号, when given. */
    authorisationNo: text('authorisation_no'),
    /** The regulator that issued the authorisation, when given. */
    issuedBy: text('issued_by').references(() => organisations.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('lab_scopes_quantity_check', inList(t.quantity, QUANTITIES)),
    check('lab_scopes_validity_check', sql`${t.validUntil} >= ${t.validFrom}`),
    check('lab_scopes_range_check', sql`${t.rangeMin} is null or ${t.rangeMax} is null or ${t.rangeMin} <= ${t.rangeMax}`),
    index('lab_scopes_lab_idx').on(t.labId),
  ],
);

export const equipment = pgTable(
  'equipment',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    assetCode: text('asset_code'),
    serialNumber: text('serial_number'),
    manufacturer: text('manufacturer'),
    model: text('model'),
    quantity: text('quantity').notNull(),
    rangeMin: decimalColumn('range_min'),
    rangeMax: decimalColumn('range_max'),
    rangeUnit: text('range_unit').notNull(),
    accuracyKind: text('accuracy_kind').notNull(),
    mpe: decimalColumn('mpe'),
    accuracyClass: text('accuracy_class'),
    expandedUncertainty: decimalColumn('expanded_uncertainty'),
    coverageFactor: decimalColumn('coverage_factor'),
    accuracyUnit: text('accuracy_unit'),
    level: text('level').notNull(),
    category: text('category'),
    usage: text('usage').notNull(),
    status: text('status').notNull(),
    assessmentNo: text('assessment_no'),
    assessmentValidFrom: dateColumn('assessment_valid_from'),
    assessmentValidUntil: dateColumn('assessment_valid_until'),
    realisation: text('realisation'),
    /** 型式批准编号, when the instrument's type has one. */
    patternApprovalNo: text('pattern_approval_no'),
    createdAt: createdAt(),
  },
  (t) => [
    check('equipment_quantity_check', inList(t.quantity, QUANTITIES)),
    check('equipment_level_check', inList(t.level, HIERARCHY_LEVELS)),
    check('equipment_usage_check', inList(t.usage, USAGES)),
    check('equipment_status_check', inList(t.status, EQUIPMENT_STATUSES)),
    check('equipment_accuracy_kind_check', inList(t.accuracyKind, ACCURACY_KINDS)),
    check('equipment_range_check', sql`${t.rangeMin} is null or ${t.rangeMax} is null or ${t.rangeMin} <= ${t.rangeMax}`),
    check(
      'equipment_accuracy_check',
      sql`(${t.accuracyKind} = 'mpe' and ${t.mpe} > 0) or (${t.accuracyKind} = 'class' and ${t.accuracyClass} is not null) or (${t.accuracyKind} = 'expanded' and ${t.expandedUncertainty} >= 0 and ${t.coverageFactor} > 0)`,
    ),
    check(
      'equipment_assessment_check',
      sql`(${t.assessmentNo} is null and ${t.assessmentValidFrom} is null and ${t.assessmentValidUntil} is null) or (${t.assessmentNo} is not null and ${t.assessmentValidUntil} >= ${t.assessmentValidFrom} and ${t.level} <> 'working_instrument')`,
    ),
    // one asset code per owner, compared as printed identifiers (metrotrace_identifier_key, migration 0020)
    uniqueIndex('equipment_owner_asset_key_idx').on(t.ownerId, sql`metrotrace_identifier_key(${t.assetCode})`),
    index('equipment_owner_idx').on(t.ownerId),
    index('equipment_quantity_level_idx').on(t.quantity, t.level),
    index('equipment_category_idx').on(t.category),
  ],
);

export const calibrationRecords = pgTable(
  'calibration_records',
  {
    /** Unique across every year's partition (a trigger, migration 0041): the key is (id, performed_on). */
    id: text('id').notNull(),
    kind: text('kind').notNull(),
    subjectId: text('subject_id')
      .notNull()
      .references(() => equipment.id),
    labId: text('lab_id')
      .notNull()
      .references(() => organisations.id),
    certificateNo: text('certificate_no').notNull(),
    performedOn: dateColumn('performed_on').notNull(),
    /** Null for a failed verification (a result notice carries no validity) and for a calibration that states none. */
    validUntil: dateColumn('valid_until'),
    conformity: text('conformity'),
    /** The record this one corrects: it exists, of the same subject, and is corrected at most once (triggers, migrations 0001 and 0041). */
    supersedes: text('supersedes'),
    remarks: text('remarks'),
    /** The decision rule a verification stated, as {kind, r?, pfa?} with decimals as strings. */
    decisionRule: jsonb('decision_rule'),
    /** Influence conditions [{name, value, unit, expandedUncertainty, coverageFactor}], decimals as strings. */
    conditions: jsonb('conditions'),
    /** Reference standards outside this registry, as the certificate names them (a JSON array of strings). */
    externalReferences: jsonb('external_references'),
    // The fields of a Chinese verification document (migration 0027); null when not recorded.
    verificationType: text('verification_type'),
    procedure: text('procedure'),
    verifier: text('verifier'),
    checker: text('checker'),
    approver: text('approver'),
    certificateKind: text('certificate_kind'),
    labelNo: text('label_no'),
    sealNo: text('seal_no'),
    customerName: text('customer_name'),
    createdAt: createdAt(),
  },
  (t) => [
    check('calibration_records_kind_check', inList(t.kind, RECORD_KINDS)),
    check(
      'calibration_records_verification_type_check',
      sql`${t.verificationType} is null or (${t.kind} = 'verification' and ${inList(t.verificationType, VERIFICATION_TYPES)})`,
    ),
    check('calibration_records_certificate_kind_check', sql`${t.certificateKind} is null or ${inList(t.certificateKind, CERTIFICATE_KINDS)}`),
    // a passed verification states its validity (a failed one must not, but rows written before 0026 may: the app refuses new ones)
    check('calibration_records_pass_validity_check', sql`not (${t.kind} = 'verification' and ${t.conformity} = 'pass' and ${t.validUntil} is null)`),
    check(
      'calibration_records_conformity_check',
      sql`(${t.kind} = 'verification' and ${t.conformity} in (${sql.raw(CONFORMITY.map((c) => `'${c}'`).join(', '))})) or (${t.kind} = 'calibration' and ${t.conformity} is null)`,
    ),
    check('calibration_records_validity_check', sql`${t.validUntil} >= ${t.performedOn}`),
    check('calibration_records_supersedes_check', sql`${t.supersedes} is null or ${t.supersedes} <> ${t.id}`),
    // Partitioned by the year of performed_on (migration 0041), so the key holds it. Unique across the
    // partitions by a trigger under the ledger's append lock, as no index can be: the id, one certificate
    // per number compared as printed identifiers (metrotrace_identifier_key, migration 0020), and one
    // correction per record; these indexes make each of those checks an index probe per partition.
    primaryKey({ columns: [t.id, t.performedOn] }),
    index('calibration_records_certificate_key_idx').on(sql`metrotrace_identifier_key(${t.certificateNo})`),
    index('calibration_records_supersedes_idx').on(t.supersedes),
    index('calibration_records_subject_idx').on(t.subjectId, t.performedOn),
    index('calibration_records_lab_idx').on(t.labId),
  ],
);

export const recordReferences = pgTable(
  'record_references',
  {
    // a record that exists: a trigger (migration 0041), as no foreign key can point at the partitioned records' id alone
    recordId: text('record_id').notNull(),
    referenceId: text('reference_id')
      .notNull()
      .references(() => equipment.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.recordId, t.referenceId] }), index('record_references_reference_idx').on(t.referenceId)],
);

export const measuredPoints = pgTable(
  'measured_points',
  {
    // a record that exists: a trigger (migration 0041), as no foreign key can point at the partitioned records' id alone
    recordId: text('record_id').notNull(),
    seq: integer('seq').notNull(),
    nominal: decimalColumn('nominal').notNull(),
    asFound: decimalColumn('as_found'),
    asLeft: decimalColumn('as_left'),
    expandedUncertainty: decimalColumn('expanded_uncertainty'),
    coverageFactor: decimalColumn('coverage_factor'),
    unit: text('unit').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.recordId, t.seq] }),
    check('measured_points_uncertainty_check', sql`${t.expandedUncertainty} is null or ${t.expandedUncertainty} >= 0`),
  ],
);

/**
 * Out-of-tolerance findings against a standard (append-only): results that
 * depended on it after `last_known_good` are suspect.
 */
export const toleranceFindings = pgTable(
  'tolerance_findings',
  {
    id: text('id').primaryKey(),
    equipmentId: text('equipment_id')
      .notNull()
      .references(() => equipment.id),
    foundOn: dateColumn('found_on').notNull(),
    lastKnownGood: dateColumn('last_known_good').notNull(),
    remarks: text('remarks'),
    createdAt: createdAt(),
  },
  (t) => [check('tolerance_findings_dates_check', sql`${t.lastKnownGood} <= ${t.foundOn}`), index('tolerance_findings_equipment_idx').on(t.equipmentId)],
);

/** Calibration and measurement capabilities of labs (CMC, from their accreditation scope). */
export const labCmcs = pgTable(
  'lab_cmcs',
  {
    id: text('id').primaryKey(),
    labId: text('lab_id')
      .notNull()
      .references(() => organisations.id),
    quantity: text('quantity').notNull(),
    rangeMin: decimalColumn('range_min'),
    rangeMax: decimalColumn('range_max'),
    rangeUnit: text('range_unit').notNull(),
    expandedUncertainty: decimalColumn('expanded_uncertainty'),
    relativeExpandedUncertainty: decimalColumn('relative_expanded_uncertainty'),
    coverageFactor: decimalColumn('coverage_factor').notNull(),
    validFrom: dateColumn('valid_from').notNull(),
    validUntil: dateColumn('valid_until').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('lab_cmcs_quantity_check', inList(t.quantity, QUANTITIES)),
    check('lab_cmcs_form_check', sql`(${t.expandedUncertainty} is null) <> (${t.relativeExpandedUncertainty} is null)`),
    check('lab_cmcs_validity_check', sql`${t.validUntil} >= ${t.validFrom}`),
    index('lab_cmcs_lab_idx').on(t.labId),
  ],
);

/**
 * Amendments of a lab's scope (core/registry/versions.ts), append-only: each
 * row is version 2, 3, … of its scope, in force from `effective_from`, with
 * the scope's content as amended (quantity and validFrom stay those of the
 * scope), or nothing for a withdrawal. One row per (scope, version): two
 * amendments written at once cannot both become the same version.
 */
export const labScopeVersions = pgTable(
  'lab_scope_versions',
  {
    id: text('id').primaryKey(),
    scopeId: text('scope_id')
      .notNull()
      .references(() => labScopes.id),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    effectiveFrom: dateColumn('effective_from').notNull(),
    reason: text('reason'),
    category: text('category'),
    rangeMin: decimalColumn('range_min'),
    rangeMax: decimalColumn('range_max'),
    rangeUnit: text('range_unit'),
    mandatoryVerification: boolean('mandatory_verification'),
    validUntil: dateColumn('valid_until'),
    authorisationNo: text('authorisation_no'),
    issuedBy: text('issued_by').references(() => organisations.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('lab_scope_versions_kind_check', inList(t.kind, AMENDMENT_KINDS)),
    check('lab_scope_versions_version_check', sql`${t.version} >= 2`),
    check(
      'lab_scope_versions_content_check',
      sql`(${t.kind} = 'amend' and ${t.mandatoryVerification} is not null and ${t.validUntil} is not null) or (${t.kind} = 'withdraw' and ${t.category} is null and ${t.rangeUnit} is null and ${t.rangeMin} is null and ${t.rangeMax} is null and ${t.mandatoryVerification} is null and ${t.validUntil} is null and ${t.authorisationNo} is null and ${t.issuedBy} is null)`,
    ),
    check('lab_scope_versions_range_check', sql`${t.rangeMin} is null or ${t.rangeMax} is null or ${t.rangeMin} <= ${t.rangeMax}`),
    uniqueIndex('lab_scope_versions_scope_version_idx').on(t.scopeId, t.version),
  ],
);

/** Amendments of a lab's CMC, as for scopes: version 2, 3, … with the CMC as amended, or nothing once withdrawn. */
export const labCmcVersions = pgTable(
  'lab_cmc_versions',
  {
    id: text('id').primaryKey(),
    cmcId: text('cmc_id')
      .notNull()
      .references(() => labCmcs.id),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    effectiveFrom: dateColumn('effective_from').notNull(),
    reason: text('reason'),
    rangeMin: decimalColumn('range_min'),
    rangeMax: decimalColumn('range_max'),
    rangeUnit: text('range_unit'),
    expandedUncertainty: decimalColumn('expanded_uncertainty'),
    relativeExpandedUncertainty: decimalColumn('relative_expanded_uncertainty'),
    coverageFactor: decimalColumn('coverage_factor'),
    validUntil: dateColumn('valid_until'),
    createdAt: createdAt(),
  },
  (t) => [
    check('lab_cmc_versions_kind_check', inList(t.kind, AMENDMENT_KINDS)),
    check('lab_cmc_versions_version_check', sql`${t.version} >= 2`),
    check(
      'lab_cmc_versions_content_check',
      sql`(${t.kind} = 'amend' and ${t.rangeUnit} is not null and ${t.coverageFactor} > 0 and ${t.validUntil} is not null and (${t.expandedUncertainty} is null) <> (${t.relativeExpandedUncertainty} is null)) or (${t.kind} = 'withdraw' and ${t.rangeUnit} is null and ${t.rangeMin} is null and ${t.rangeMax} is null and ${t.expandedUncertainty} is null and ${t.relativeExpandedUncertainty} is null and ${t.coverageFactor} is null and ${t.validUntil} is null)`,
    ),
    check('lab_cmc_versions_range_check', sql`${t.rangeMin} is null or ${t.rangeMax} is null or ${t.rangeMin} <= ${t.rangeMax}`),
    uniqueIndex('lab_cmc_versions_cmc_version_idx').on(t.cmcId, t.version),
  ],
);

/** The uncertainty components a DCC sidecar handed over with an imported record (append-only). */
export const recordSidecars = pgTable('record_sidecars', {
  // a record that exists: a trigger (migration 0041), as no foreign key can point at the partitioned records' id alone
  recordId: text('record_id').primaryKey(),
  document: jsonb('document').notNull(),
  createdAt: createdAt(),
});

/**
 * A certificate an equipment's owner filed on a lab's behalf (a DCC it
 * received): unverified evidence. It is not a record: it makes no chain
 * traceable and no label usable until the issuing lab, or an admin, confirms
 * it (a record is then created through every rule) or rejects it. Append-only.
 */
export const filedCertificates = pgTable(
  'filed_certificates',
  {
    id: text('id').primaryKey(),
    subjectId: text('subject_id')
      .notNull()
      .references(() => equipment.id),
    /** The lab the certificate says issued it, as the filer named it. */
    labId: text('lab_id')
      .notNull()
      .references(() => organisations.id),
    certificateNo: text('certificate_no').notNull(),
    performedOn: dateColumn('performed_on').notNull(),
    /** The organisation that filed it (the equipment's owner). */
    filedBy: text('filed_by')
      .notNull()
      .references(() => organisations.id),
    /** The key that filed it. */
    filedByKey: text('filed_by_key').notNull(),
    /** The import request as filed: {xml, sidecar?, validUntil?, id?}. */
    request: jsonb('request').notNull(),
    /** The DCC elements that could not be mapped. */
    unmapped: jsonb('unmapped').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('filed_certificates_subject_idx').on(t.subjectId), index('filed_certificates_lab_idx').on(t.labId)],
);

/** The one decision on a filed certificate: confirmed (with the record it became) or rejected (with the reason). Append-only. */
export const filedCertificateDecisions = pgTable(
  'filed_certificate_decisions',
  {
    filedId: text('filed_id')
      .primaryKey()
      .references(() => filedCertificates.id),
    decision: text('decision').notNull(),
    // a record that exists: a trigger (migration 0041), as no foreign key can point at the partitioned records' id alone
    recordId: text('record_id'),
    reason: text('reason'),
    decidedByKey: text('decided_by_key').notNull(),
    decidedByOrganisation: text('decided_by_organisation').references(() => organisations.id),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'filed_certificate_decisions_check',
      sql`(${t.decision} = 'confirmed' and ${t.recordId} is not null) or (${t.decision} = 'rejected' and ${t.recordId} is null and ${t.reason} is not null)`,
    ),
  ],
);

/**
 * The life of an equipment after its registration (core/registry/events.ts):
 * append-only; the equipment at a date is its registration with the events
 * effective by then applied in order (`seq` keeps the order they were recorded).
 */
export const equipmentEvents = pgTable(
  'equipment_events',
  {
    id: text('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    equipmentId: text('equipment_id')
      .notNull()
      .references(() => equipment.id),
    kind: text('kind').notNull(),
    effectiveOn: dateColumn('effective_on').notNull(),
    reason: text('reason'),
    assessmentNo: text('assessment_no'),
    assessmentValidFrom: dateColumn('assessment_valid_from'),
    assessmentValidUntil: dateColumn('assessment_valid_until'),
    newOwnerId: text('new_owner_id').references(() => organisations.id),
    location: text('location'),
    recordedByKey: text('recorded_by_key'),
    recordedByOrganisation: text('recorded_by_organisation').references(() => organisations.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('equipment_events_kind_check', inList(t.kind, EVENT_KINDS)),
    check(
      'equipment_events_renewal_check',
      sql`(${t.kind} = 'assessment_renewed') = (${t.assessmentNo} is not null and ${t.assessmentValidFrom} is not null and ${t.assessmentValidUntil} >= ${t.assessmentValidFrom})`,
    ),
    check('equipment_events_transfer_check', sql`(${t.kind} = 'transferred') = (${t.newOwnerId} is not null)`),
    uniqueIndex('equipment_events_seq_idx').on(t.seq),
    index('equipment_events_equipment_idx').on(t.equipmentId, t.seq),
  ],
);
