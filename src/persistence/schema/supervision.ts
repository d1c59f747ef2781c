/**
 * Supervision tables: in-use inspections (使用中检查), spot-check plans drawn
 * by the "double random" rule (双随机) and their closure (一公开). All three are
 * append-only and ledgered: a finding is never edited, a plan never re-drawn.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { INSPECTION_OUTCOMES } from '../../core/supervision/inspection.ts';
import { MEASURE_KINDS } from '../../core/supervision/integrity.ts';
import { createdAt, dateColumn, inList } from './columns.ts';
import { equipment, organisations } from './registry.ts';

export const spotCheckPlans = pgTable(
  'spot_check_plans',
  {
    id: text('id').primaryKey(),
    regulatorId: text('regulator_id')
      .notNull()
      .references(() => organisations.id),
    title: text('title').notNull(),
    /** 'instrument' or 'organisation': what a target is. */
    unit: text('unit').notNull(),
    drawDate: dateColumn('draw_date').notNull(),
    seed: text('seed').notNull(),
    /** The filter, weights, samples and cooling-off months as published. */
    rules: jsonb('rules').notNull(),
    inspectors: jsonb('inspectors').notNull(),
    pastInspections: jsonb('past_inspections').notNull(),
    /** The population as digested (core/supervision/draw.ts: one tab-separated line per unit, sorted by id). */
    population: text('population').notNull(),
    populationHash: text('population_hash').notNull(),
    populationSize: integer('population_size').notNull(),
    result: jsonb('result').notNull(),
    drawnByKey: text('drawn_by_key'),
    createdAt: createdAt(),
  },
  (t) => [check('spot_check_plans_unit_check', inList(t.unit, ['instrument', 'organisation'])), index('spot_check_plans_regulator_idx').on(t.regulatorId)],
);

/** A plan closed: its results are published from then on. */
export const spotCheckClosures = pgTable('spot_check_closures', {
  planId: text('plan_id')
    .primaryKey()
    .references(() => spotCheckPlans.id),
  closedOn: dateColumn('closed_on').notNull(),
  closedByKey: text('closed_by_key'),
  createdAt: createdAt(),
});

export const inUseInspections = pgTable(
  'in_use_inspections',
  {
    id: text('id').primaryKey(),
    equipmentId: text('equipment_id')
      .notNull()
      .references(() => equipment.id),
    /** The owner on the day of the inspection (the organisation inspected). */
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    regulatorId: text('regulator_id').references(() => organisations.id),
    planId: text('plan_id').references(() => spotCheckPlans.id),
    inspectedOn: dateColumn('inspected_on').notNull(),
    /** The inspectors on site, by name (names as data). */
    inspectors: jsonb('inspectors').notNull(),
    labelPresent: boolean('label_present').notNull(),
    labelMatches: boolean('label_matches'),
    sealIntact: boolean('seal_intact'),
    /** The registry's verification state of the instrument on the day, as the inspection found it. */
    verificationState: text('verification_state').notNull(),
    /** Points checked: decimals as strings, with the in-use MPE and where it came from. */
    points: jsonb('points').notNull(),
    /** SHA-256 digests of the photographs taken (the photographs are kept elsewhere). */
    photos: jsonb('photos').notNull(),
    outcome: text('outcome').notNull(),
    reasons: jsonb('reasons').notNull(),
    rectifyBy: dateColumn('rectify_by'),
    remarks: text('remarks'),
    recordedByKey: text('recorded_by_key'),
    createdAt: createdAt(),
  },
  (t) => [
    check('in_use_inspections_outcome_check', inList(t.outcome, INSPECTION_OUTCOMES)),
    check('in_use_inspections_rectify_check', sql`(${t.outcome} = 'rectify') = (${t.rectifyBy} is not null)`),
    index('in_use_inspections_equipment_idx').on(t.equipmentId, t.inspectedOn),
    index('in_use_inspections_organisation_idx').on(t.organisationId, t.inspectedOn),
    index('in_use_inspections_plan_idx').on(t.planId),
  ],
);

/** Integrity measures: commitments, listings under dishonesty measures, appeals and removals (append-only). */
export const integrityMeasures = pgTable(
  'integrity_measures',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    kind: text('kind').notNull(),
    decidedOn: dateColumn('decided_on').notNull(),
    reason: text('reason'),
    regulatorId: text('regulator_id').references(() => organisations.id),
    recordedByKey: text('recorded_by_key'),
    createdAt: createdAt(),
  },
  (t) => [
    check('integrity_measures_kind_check', inList(t.kind, MEASURE_KINDS)),
    index('integrity_measures_organisation_idx').on(t.organisationId, t.decidedOn),
  ],
);
