/**
 * Lots of meters in service (运行中计量器具, issue #22): a lot and its members,
 * the sampling plans drawn on it, the results that decide it and its rotation.
 * All append-only and ledgered: a decision is never edited, a plan never re-drawn.
 */
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, dateColumn, inList } from './columns.ts';
import { equipment, organisations } from './registry.ts';

export const meterLots = pgTable(
  'meter_lots',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => organisations.id),
    /** The entry of the mandatory-verification catalogue (MV001 …). */
    category: text('category').notNull(),
    model: text('model').notNull(),
    patternApprovalNo: text('pattern_approval_no'),
    manufacturer: text('manufacturer').notNull(),
    batch: text('batch'),
    installedFrom: dateColumn('installed_from').notNull(),
    installedTo: dateColumn('installed_to').notNull(),
    region: text('region').notNull(),
    size: integer('size').notNull(),
    registeredOn: dateColumn('registered_on').notNull(),
    registeredByKey: text('registered_by_key'),
    createdAt: createdAt(),
  },
  (t) => [index('meter_lots_owner_idx').on(t.ownerId), index('meter_lots_region_idx').on(t.region)],
);

export const meterLotMembers = pgTable(
  'meter_lot_members',
  {
    lotId: text('lot_id')
      .notNull()
      .references(() => meterLots.id),
    serial: text('serial').notNull(),
    equipmentId: text('equipment_id').references(() => equipment.id),
  },
  (t) => [primaryKey({ columns: [t.lotId, t.serial] }), uniqueIndex('meter_lot_members_equipment_idx').on(t.equipmentId)],
);

export const lotSamplingPlans = pgTable(
  'lot_sampling_plans',
  {
    id: text('id').primaryKey(),
    lotId: text('lot_id')
      .notNull()
      .references(() => meterLots.id),
    plannedOn: dateColumn('planned_on').notNull(),
    seed: text('seed').notNull(),
    level: text('level').notNull(),
    aql: text('aql').notNull(),
    /** The severity applied, and the switching state with its reason (core/sampling/switching.ts). */
    severity: text('severity').notNull(),
    scheme: jsonb('scheme').notNull(),
    /**
     * 'variables' (ANSI/ASQ Z1.9 s method: k), or null for attributes (GB/T 2828.1: Ac and Re): null,
     * not a default, so that a plan drawn before variables sampling keeps the ledgered content it had
     * (the content drops nulls) and an export made then imports as it is.
     */
    method: text('method'),
    codeLetter: text('code_letter').notNull(),
    planLetter: text('plan_letter').notNull(),
    tableSampleSize: integer('table_sample_size').notNull(),
    sampleSize: integer('sample_size').notNull(),
    /** Ac and Re of an attributes plan; null for a variables plan. */
    acceptance: integer('acceptance'),
    rejection: integer('rejection'),
    /** k of a variables plan, a decimal as printed; null for an attributes plan. */
    acceptabilityConstant: text('acceptability_constant'),
    /**
     * The in-service MPE (a decimal string as given) a variables plan's results are judged against,
     * fixed when the plan is drawn; null for an attributes plan (each result gives its own) and for a
     * variables plan drawn before it was fixed (migration 0042): null, so that neither's ledgered
     * content changes.
     */
    mpe: text('mpe'),
    hundredPercent: boolean('hundred_percent').notNull(),
    populationHash: text('population_hash').notNull(),
    /** The members drawn, in draw order, with their keys. */
    sample: jsonb('sample').notNull(),
    regulatorId: text('regulator_id').references(() => organisations.id),
    plannedByKey: text('planned_by_key'),
    createdAt: createdAt(),
  },
  (t) => [
    check('lot_sampling_plans_severity_check', inList(t.severity, ['normal', 'tightened', 'reduced'])),
    check(
      'lot_sampling_plans_method_check',
      sql`(${t.method} is null and ${t.acceptance} is not null and ${t.rejection} is not null and ${t.acceptabilityConstant} is null) or (${t.method} = 'variables' and ${t.acceptance} is null and ${t.rejection} is null and ${t.acceptabilityConstant} is not null)`,
    ),
    check('lot_sampling_plans_mpe_check', sql`${t.mpe} is null or ${t.method} = 'variables'`),
    index('lot_sampling_plans_lot_idx').on(t.lotId, t.plannedOn),
  ],
);

export const lotSamplingResults = pgTable(
  'lot_sampling_results',
  {
    planId: text('plan_id')
      .primaryKey()
      .references(() => lotSamplingPlans.id),
    recordedOn: dateColumn('recorded_on').notNull(),
    /** Per sampled meter: the findings as given (decimals as strings) and the judgement. */
    meters: jsonb('meters').notNull(),
    inspected: integer('inspected').notNull(),
    nonconforming: integer('nonconforming').notNull(),
    decision: text('decision').notNull(),
    rule: text('rule').notNull(),
    /** A variables plan's figures (x̄, s, Q_U, Q_L, k, the limits; decimals as strings); null for attributes. */
    statistics: jsonb('statistics'),
    recordedByKey: text('recorded_by_key'),
    createdAt: createdAt(),
  },
  (t) => [check('lot_sampling_results_decision_check', inList(t.decision, ['accept', 'reject']))],
);

export const lotRotations = pgTable('lot_rotations', {
  lotId: text('lot_id')
    .primaryKey()
    .references(() => meterLots.id),
  rotatedOn: dateColumn('rotated_on').notNull(),
  remarks: text('remarks'),
  recordedByKey: text('recorded_by_key'),
  createdAt: createdAt(),
});
