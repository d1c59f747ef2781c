/**
 * Web sessions as stored (app/sessions.ts): inserted at sign-in, touched by
 * each request, ended at sign-out.
 * @impure talks to the database.
 */
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { SessionStore, StoredSession } from '../app/sessions.ts';
import type { Db } from './db.ts';
import { appSessions } from './schema/sessions.ts';
import { guarded } from './sql-helpers.ts';

export class DrizzleSessionStore implements SessionStore {
  constructor(private readonly db: Db) {}

  insert(s: StoredSession): Promise<void> {
    return guarded(async () => void (await this.db.insert(appSessions).values({ ...s })));
  }

  async get(idHash: string): Promise<StoredSession | undefined> {
    const rows = await this.db.select().from(appSessions).where(eq(appSessions.idHash, idHash));
    return rows[0];
  }

  touch(idHash: string, lastSeenAt: string, idleExpiresAt: string): Promise<void> {
    return guarded(async () => void (await this.db.update(appSessions).set({ lastSeenAt, idleExpiresAt }).where(eq(appSessions.idHash, idHash))));
  }

  async end(idHash: string, at: string): Promise<boolean> {
    const rows = await guarded(() =>
      this.db
        .update(appSessions)
        .set({ endedAt: at })
        .where(and(eq(appSessions.idHash, idHash), isNull(appSessions.endedAt)))
        .returning({ id: appSessions.idHash }),
    );
    return rows.length === 1;
  }

  purge(before: string): Promise<void> {
    return guarded(async () => void (await this.db.delete(appSessions).where(or(lt(appSessions.idleExpiresAt, before), lt(appSessions.endedAt, before)))));
  }
}
