/**
 * API keys (only a hash of the secret is kept) and the audit log of who did
 * what, from which key. The audit log is append-only (migration 0016).
 */
import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, dateColumn, inList } from './columns.ts';
import { organisations } from './registry.ts';

const ROLE_VALUES = ['admin', 'lab', 'owner', 'inspector', 'auditor'];

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    role: text('role').notNull(),
    organisationId: text('organisation_id').references(() => organisations.id),
    label: text('label').notNull(),
    expiresOn: dateColumn('expires_on'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
    createdAt: createdAt(),
    /** null: an API key; 'calendar_feed': a read-only token that opens only its organisation's calendar feed. Null for API keys keeps their ledger content unchanged. */
    purpose: text('purpose'),
    /** For a calendar feed: the key that asked for it, whose revocation or expiry ends the feed too. */
    issuedByKey: text('issued_by_key'),
  },
  (t) => [
    check('api_keys_purpose_check', sql`${t.purpose} is null or ${t.purpose} = 'calendar_feed'`),
    check('api_keys_role_check', inList(t.role, ROLE_VALUES)),
    check('api_keys_organisation_check', sql`${t.role} = 'admin' or ${t.organisationId} is not null`),
  ],
);

/**
 * Partitioned by the year (UTC) of `at` (migration 0039): one partition per
 * year and a DEFAULT one, so that no insert fails for a year whose partition
 * is missing. The primary key has to hold the partition key; `seq` alone stays
 * unique through a trigger (metrotrace_audit_log_seq_unique), and the year
 * partitions are made by metrotrace_partitions_ensure() (persistence/partitions.ts).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    keyId: text('key_id'),
    role: text('role').notNull(),
    organisationId: text('organisation_id'),
    method: text('method').notNull(),
    route: text('route').notNull(),
    path: text('path').notNull(),
    params: jsonb('params').notNull(),
    status: integer('status').notNull(),
    outcome: text('outcome').notNull(),
    address: text('address').notNull(),
    requestId: text('request_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seq, t.at] }), index('audit_log_key_idx').on(t.keyId, t.seq), index('audit_log_at_idx').on(t.at)],
);
