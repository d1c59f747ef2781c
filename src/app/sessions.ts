/**
 * Sessions of the web pages at /app (issue #21): a person signs in with an API
 * key once and the browser keeps a session cookie instead, so the key is never
 * sent again, never written into a page and never stored (only its id, to act
 * as it). A session acts with exactly its key's role and organisation, ends
 * when the key is revoked or expires, when its holder signs out, after
 * IDLE_MINUTES without a request, or MAX_HOURS after sign-in however busy it
 * was (a stolen cookie is not good for ever). Each session has its own CSRF token, which
 * every form it posts carries.
 *
 * The session id (256 random bits) lives only in the cookie; the store keeps
 * its SHA-256, so a copy of the table opens no session.
 */
import type { Caller } from '../core/access/roles.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { AccessService } from './access.ts';

/** Minutes without a request after which a session is over. */
export const IDLE_MINUTES = 30;

/** Hours after sign-in at which a session is over even if it was never idle: a working day, then sign in again. */
export const MAX_HOURS = 12;

export interface StoredSession {
  readonly idHash: string;
  readonly keyId: string;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly idleExpiresAt: string;
  readonly endedAt: string | null;
}

export interface SessionStore {
  insert(s: StoredSession): Promise<void>;
  get(idHash: string): Promise<StoredSession | undefined>;
  /** Notes a request: last seen and the new idle expiry. */
  touch(idHash: string, lastSeenAt: string, idleExpiresAt: string): Promise<void>;
  /** Ends an open session; false when there was none open. */
  end(idHash: string, at: string): Promise<boolean>;
  /** Deletes the sessions that ended or went idle before `before` (sign-in state, not evidence). */
  purge(before: string): Promise<void>;
}

export interface SessionDeps {
  readonly store: SessionStore;
  readonly access: AccessService;
  /** 256 random bits, URL-safe (runtime/key-material.ts newSecret). */
  readonly newSecret: () => string;
  readonly hash: (secret: string) => string;
  /** The instant now (sessions expire by the clock, not the calendar). */
  readonly now: () => Date;
  readonly idleMinutes?: number;
  readonly maxHours?: number;
}

export type SignIn =
  | { readonly ok: true; readonly sessionId: string; readonly csrfToken: string; readonly caller: Extract<Caller, { kind: 'key' }> }
  | { readonly ok: false; readonly reason: string };
export type Resumed =
  | { readonly ok: true; readonly caller: Extract<Caller, { kind: 'key' }>; readonly csrfToken: string }
  | { readonly ok: false; readonly reason: string };

export class SessionService {
  constructor(private readonly deps: SessionDeps) {}

  get idleMinutes(): number {
    return this.deps.idleMinutes ?? IDLE_MINUTES;
  }

  get maxHours(): number {
    return this.deps.maxHours ?? MAX_HOURS;
  }

  private idleExpiry(now: Date): string {
    return new Date(now.getTime() + this.idleMinutes * 60_000).toISOString();
  }

  /** Exchanges an API key for a session: the key is checked as the API checks it, and only its id is kept. */
  async signIn(token: string, today: CalendarDate): Promise<SignIn> {
    const auth = await this.deps.access.authenticate(token.trim(), today);
    if (!auth.ok) return auth;
    if (auth.caller.kind !== 'key') return { ok: false, reason: 'the key is not known' };
    const sessionId = this.deps.newSecret();
    const csrfToken = this.deps.newSecret();
    const now = this.deps.now();
    // sessions over for a day are forgotten, so that the table holds only what may still be resumed
    // (a session is never touched past MAX_HOURS, so its idle expiry ends it for the purge too)
    await this.deps.store.purge(new Date(now.getTime() - 86_400_000).toISOString());
    await this.deps.store.insert({
      idHash: this.deps.hash(sessionId),
      keyId: auth.caller.keyId,
      csrfToken,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      idleExpiresAt: this.idleExpiry(now),
      endedAt: null,
    });
    return { ok: true, sessionId, csrfToken, caller: auth.caller };
  }

  /** The session a cookie names, if it is still open: its caller (the key as it is today) and CSRF token; the request counts as activity. */
  async resume(sessionId: string, today: CalendarDate): Promise<Resumed> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return { ok: false, reason: 'no session' };
    const idHash = this.deps.hash(sessionId);
    const s = await this.deps.store.get(idHash);
    if (!s) return { ok: false, reason: 'no session' };
    if (s.endedAt !== null) return { ok: false, reason: 'signed out' };
    const now = this.deps.now();
    if (Date.parse(s.idleExpiresAt) <= now.getTime()) return { ok: false, reason: `idle for more than ${this.idleMinutes} minutes` };
    if (Date.parse(s.createdAt) + this.maxHours * 3_600_000 <= now.getTime()) return { ok: false, reason: `signed in more than ${this.maxHours} hours ago` };
    const auth = await this.deps.access.callerOfKey(s.keyId, today);
    if (!auth.ok || auth.caller.kind !== 'key') return { ok: false, reason: auth.ok ? 'the key is not known' : auth.reason };
    await this.deps.store.touch(idHash, now.toISOString(), this.idleExpiry(now));
    return { ok: true, caller: auth.caller, csrfToken: s.csrfToken };
  }

  async signOut(sessionId: string): Promise<void> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return;
    await this.deps.store.end(this.deps.hash(sessionId), this.deps.now().toISOString());
  }
}
