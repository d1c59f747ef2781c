/**
 * Sessions of the web pages at /app (issue #21): an API key exchanged for a
 * session whose id lives only in the browser's cookie; here only its hash.
 * Not append-only and not ledgered: a session is sign-in state (last seen,
 * ended), not evidence; what was done in it is in the audit log by key.
 */
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { apiKeys } from './access.ts';

export const appSessions = pgTable(
  'app_sessions',
  {
    /** SHA-256 of the session id the cookie holds (256 random bits). */
    idHash: text('id_hash').primaryKey(),
    /** The key signed in with: the session acts with exactly its role and organisation, and ends with it. */
    keyId: text('key_id')
      .notNull()
      .references(() => apiKeys.id),
    /** The token every form of the session carries (checked on each POST). */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'string' }).notNull(),
    /** last seen + the idle time-out: after it, the session is over. */
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true, mode: 'string' }).notNull(),
    /** When the user signed out (null while open). */
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('app_sessions_key_idx').on(t.keyId)],
);
