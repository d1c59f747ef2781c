/**
 * Energy-metering inventories (each submission a new version) and audits,
 * stored with the data they were computed from. Both append-only (migration 0007).
 */
import { check, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisations } from './registry.ts';
import { createdAt, dateColumn } from './columns.ts';

export const energyInventories = pgTable(
  'energy_inventories',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    version: integer('version').notNull(),
    document: jsonb('document').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('energy_inventories_version_idx').on(t.organisationId, t.version), check('energy_inventories_version_check', sql`${t.version} >= 1`)],
);

export const energyAudits = pgTable('energy_audits', {
  id: text('id').primaryKey(),
  organisationId: text('organisation_id')
    .notNull()
    .references(() => organisations.id),
  at: dateColumn('at').notNull(),
  inventoryId: text('inventory_id')
    .notNull()
    .references(() => energyInventories.id),
  rulesVersion: text('rules_version').notNull(),
  input: jsonb('input').notNull(),
  result: jsonb('result').notNull(),
  createdAt: createdAt(),
});
