/**
 * The evidence ledger: one entry per state of every piece of evidence and
 * every fact the evidence rests on — a calibration or verification record (a
 * correction is a record), sidecar, out-of-tolerance finding, energy audit,
 * organisation, authorisation scope, CMC, equipment and API key — each
 * carrying the hash of the entity's canonical content and the hash of the
 * entry before it. An entity that changes (a key revoked) gets a new entry;
 * only its latest entry must match what is stored now. Entries are appended by
 * metrotrace_ledger_append() in the writer's transaction and verified by
 * recomputing both (migrations 0018, 0023).
 *
 * The hashes alone are no proof against someone who can run those functions:
 * every entry is also authenticated by an HMAC the application computes under
 * a key that is not in the database (ledger_macs), and the head is anchored
 * outside it (metrotrace ledger anchor).
 */
import { bigint, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const ledger = pgTable(
  'ledger',
  {
    seq: bigint('seq', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    entityId: text('entity_id').notNull(),
    contentHash: text('content_hash').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  // an entity may have several entries (one per change); the verifier asks for the latest
  (t) => [primaryKey({ columns: [t.seq, t.recordedAt] }), index('ledger_entity_seq_idx').on(t.kind, t.entityId, t.seq)],
);

/**
 * The HMAC of each entry (HMAC-SHA256 of its hash, hex) under the ledger key
 * `key_id`, computed by the application in the writer's transaction. A side
 * table rather than columns of `ledger`: the ledger stays exactly what it was
 * (append-only, its rows and the hash functions unchanged), and a database
 * upgraded from before MACs keeps its old entries as they are. `seq` names an
 * entry: a trigger checks that (metrotrace_ledger_macs_entry_exists), since a
 * foreign key can only point at a unique key and the ledger's now holds its
 * partition key as well.
 */
export const ledgerMacs = pgTable('ledger_macs', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  keyId: text('key_id').notNull(),
  mac: text('mac').notNull(),
});

/**
 * The seal over entries written before MACs existed: the migration that
 * introduced MACs notes the head then (key_id and mac empty); the first start
 * with a ledger key signs it (HMAC of `seal|seq|hash`). The hash chain makes
 * that one MAC cover every entry up to it.
 */
export const ledgerSeals = pgTable('ledger_seals', {
  throughSeq: bigint('through_seq', { mode: 'number' }).primaryKey(),
  throughHash: text('through_hash').notNull(),
  keyId: text('key_id'),
  mac: text('mac'),
  sealedAt: timestamp('sealed_at', { withTimezone: true, mode: 'string' }),
});
