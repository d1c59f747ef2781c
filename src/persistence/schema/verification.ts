/**
 * Mandatory-verification tables: regulators' local policies, the monthly
 * capacity of authorised verification institutions, and stored plans.
 * Policies and plans are append-only: a regulator changes a policy by issuing
 * a new one with a later validity, and a plan is kept as it was computed.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { organisations } from './registry.ts';
import { createdAt, dateColumn } from './columns.ts';

export const verificationPolicies = pgTable(
  'verification_policies',
  {
    id: text('id').primaryKey(),
    regulatorId: text('regulator_id')
      .notNull()
      .references(() => organisations.id),
    regionCode: text('region_code').notNull(),
    category: text('category').notNull(),
    intervalMonths: integer('interval_months'),
    serviceLifeMonths: integer('service_life_months'),
    graceDays: integer('grace_days'),
    dueSoonDays: integer('due_soon_days'),
    validFrom: dateColumn('valid_from').notNull(),
    validUntil: dateColumn('valid_until').notNull(),
    remarks: text('remarks'),
    createdAt: createdAt(),
  },
  (t) => [
    check('verification_policies_region_check', sql`${t.regionCode} ~ '^[0-9]{6}$'`),
    check(
      'verification_policies_numbers_check',
      sql`coalesce(${t.intervalMonths}, 1) > 0 and coalesce(${t.serviceLifeMonths}, 1) > 0 and coalesce(${t.graceDays}, 0) >= 0 and coalesce(${t.dueSoonDays}, 0) >= 0`,
    ),
    check('verification_policies_validity_check', sql`${t.validUntil} >= ${t.validFrom}`),
    index('verification_policies_category_idx').on(t.category),
  ],
);

export const labCapacities = pgTable(
  'lab_capacities',
  {
    id: text('id').primaryKey(),
    labId: text('lab_id')
      .notNull()
      .references(() => organisations.id),
    category: text('category').notNull(),
    monthly: integer('monthly').notNull(),
    validFrom: dateColumn('valid_from').notNull(),
    validUntil: dateColumn('valid_until').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('lab_capacities_monthly_check', sql`${t.monthly} >= 0`),
    check('lab_capacities_validity_check', sql`${t.validUntil} >= ${t.validFrom}`),
    index('lab_capacities_lab_idx').on(t.labId),
  ],
);

export const verificationPlans = pgTable('verification_plans', {
  id: text('id').primaryKey(),
  request: jsonb('request').notNull(),
  summary: jsonb('summary').notNull(),
  plan: jsonb('plan').notNull(),
  createdAt: createdAt(),
});

/**
 * Derived, not evidence: per equipment, its latest current (not superseded)
 * verification and the date of its first passed one. Maintained by a
 * statement-level trigger on calibration_records (migration 0006) so that due
 * lists over a million instruments are one join instead of a million index
 * probes. Never written by the application.
 */
export const verificationCurrent = pgTable(
  'verification_current',
  {
    equipmentId: text('equipment_id').primaryKey(),
    recordId: text('record_id').notNull(),
    performedOn: dateColumn('performed_on').notNull(),
    /** Null for a failed verification (its result notice carries no validity, migration 0027). */
    validUntil: dateColumn('valid_until'),
    conformity: text('conformity').notNull(),
    labId: text('lab_id').notNull(),
    certificateNo: text('certificate_no').notNull(),
    firstPassOn: dateColumn('first_pass_on'),
  },
  (t) => [index('verification_current_valid_until_idx').on(t.validUntil)],
);
