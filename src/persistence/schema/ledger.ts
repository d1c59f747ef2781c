/**
 * The evidence ledger: one entry per calibration or verification record (a
 * correction is a record), sidecar, out-of-tolerance finding and energy audit,
 * each carrying the hash of the entity's canonical content and the hash of the
 * entry before it. Entries are appended by metrotrace_ledger_append() in the
 * writer's transaction and verified by recomputing both (migration 0018).
 */
import { bigint, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const ledger = pgTable(
  'ledger',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    entityId: text('entity_id').notNull(),
    contentHash: text('content_hash').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ledger_entity_idx').on(t.kind, t.entityId)],
);

/** Progress of an import, committed with each batch, so that an interrupted import resumes. */
export const importCheckpoints = pgTable('import_checkpoints', {
  source: text('source').primaryKey(),
  line: bigint('line', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});
