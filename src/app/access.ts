/**
 * API keys and the audit log: issuing a key (its secret is shown once and only
 * its hash is kept), authenticating a presented token, revoking, and recording
 * who did what. The token is `mtk_<id>_<secret>`: the id finds the key, the
 * secret proves possession.
 */
import { type Caller, type Role, withArticle } from '../core/access/roles.ts';
import { checkRoleFits, isRole, ROLES } from '../core/access/roles.ts';
import type { OrganisationKind } from '../core/registry/vocabulary.ts';
import type { CalendarDate } from '../core/dates.ts';
import { parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import type { AccessStore, AuditEntry, AuditQuery, StoredAuditEntry, StoredKey } from './ports.ts';

/** Randomness and hashing, provided from outside (node:crypto in the runtime). */
export interface KeyMaterial {
  newKeyId(): string;
  newSecret(): string;
  hash(secret: string): string;
  /** Constant-time comparison of a presented secret with a stored hash. */
  matches(secret: string, hash: string): boolean;
}

export interface KeyRequest {
  readonly role: string;
  readonly organisationId?: string | null | undefined;
  readonly label: string;
  readonly expiresOn?: string | null | undefined;
}

export interface IssuedKey {
  readonly key: StoredKey;
  /** The whole token; shown once, never stored. */
  readonly token: string;
}

export type Authentication = { readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly reason: string };

const TOKEN = /^mtk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
/** A calendar feed token: the same material under another prefix, so that neither is mistaken for the other. */
const FEED_TOKEN = /^mtf_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

/** The roles that may keep a calendar feed of their own organisation's due dates. */
export const FEED_ROLES: readonly Role[] = ['owner', 'lab'];

export type FeedAuthentication = { readonly ok: true; readonly key: StoredKey } | { readonly ok: false; readonly reason: string };

export class AccessService {
  constructor(
    private readonly deps: {
      readonly store: AccessStore;
      readonly material: KeyMaterial;
      /** The kind of an organisation (throws NOT_FOUND when there is none). */
      readonly organisationKind: (id: string) => Promise<OrganisationKind>;
    },
  ) {}

  async issue(req: KeyRequest, today: CalendarDate): Promise<IssuedKey> {
    if (!isRole(req.role)) fail('INVALID_FIELD', '/role', `role must be one of ${ROLES.join(', ')}`);
    const role: Role = req.role;
    const organisationId = req.organisationId ?? null;
    if (role !== 'admin' && organisationId === null)
      fail('MISSING_FIELD', '/organisationId', `${withArticle(role)} key is bound to an organisation; give organisationId`);
    if (role === 'admin' && organisationId !== null)
      fail('INVALID_FIELD', '/organisationId', 'an admin key is bound to no organisation; leave organisationId out');
    if (role !== 'admin') checkRoleFits(role, organisationId!, await this.deps.organisationKind(organisationId!));
    const label = req.label.trim();
    if (label === '') fail('MISSING_FIELD', '/label', 'give the key a label that says who holds it');
    const expiresOn = req.expiresOn == null ? null : parseDate(req.expiresOn, '/expiresOn');
    if (expiresOn !== null && expiresOn <= today) fail('INVALID_DATE', '/expiresOn', `the key would already have expired (${expiresOn} is not after ${today})`);
    const { material } = this.deps;
    const id = material.newKeyId();
    const secret = material.newSecret();
    await this.deps.store.insertKey({ id, secretHash: material.hash(secret), role, organisationId, label, expiresOn, purpose: null, issuedByKey: null });
    const key = await this.deps.store.getKey(id);
    return { key: key!, token: `mtk_${id}_${secret}` };
  }

  /**
   * A calendar feed token for the caller's own organisation: read-only, it
   * opens that organisation's calendar of due dates and nothing else, so it
   * can sit in a calendar application's subscription URL. Revocable like a
   * key, and it ends with the key that asked for it: when that key is revoked
   * or expires (a person leaves), so does the feed.
   */
  async issueFeed(caller: Caller, label: string): Promise<IssuedKey> {
    if (caller.kind !== 'key' || caller.organisationId === null || !FEED_ROLES.includes(caller.role))
      fail('FORBIDDEN', 'authorization', `a calendar feed belongs to an organisation: ask for it with its ${FEED_ROLES.join(' or ')} key`);
    const trimmed = label.trim();
    if (trimmed === '') fail('MISSING_FIELD', '/label', 'give the feed a label that says where it is subscribed (e.g. "quality manager\'s Outlook")');
    const { material } = this.deps;
    const id = material.newKeyId();
    const secret = material.newSecret();
    const issuer = await this.deps.store.getKey(caller.keyId);
    await this.deps.store.insertKey({
      id,
      secretHash: material.hash(secret),
      role: caller.role,
      organisationId: caller.organisationId,
      label: trimmed,
      expiresOn: issuer?.expiresOn ?? null,
      purpose: 'calendar_feed',
      issuedByKey: caller.keyId,
    });
    return { key: (await this.deps.store.getKey(id))!, token: `mtf_${id}_${secret}` };
  }

  /** A token presented in a calendar feed URL → its feed, or why it opens none. */
  async authenticateFeed(token: string, today: CalendarDate): Promise<FeedAuthentication> {
    if (TOKEN.test(token))
      return { ok: false, reason: 'this is an API key; a calendar URL takes a feed token (mtf_…), never a key: ask for one with POST /v1/feeds' };
    const m = FEED_TOKEN.exec(token);
    if (!m) return { ok: false, reason: 'the feed token is malformed; it looks like mtf_<16 characters>_<43 characters>' };
    const key = await this.deps.store.getKey(m[1]!);
    if (key?.purpose !== 'calendar_feed' || !this.deps.material.matches(m[2]!, key.secretHash)) return { ok: false, reason: 'no calendar feed has this token' };
    if (key.revokedAt !== null) return { ok: false, reason: `this calendar feed was revoked at ${key.revokedAt}` };
    if (key.expiresOn !== null && key.expiresOn <= today)
      return { ok: false, reason: `this calendar feed expired on ${key.expiresOn}, with the key that asked for it` };
    const issuer = key.issuedByKey === null ? undefined : await this.deps.store.getKey(key.issuedByKey);
    if (!issuer || issuer.revokedAt !== null)
      return { ok: false, reason: 'the key that asked for this calendar feed was revoked, and the feed with it; ask for a new one with a current key' };
    return { ok: true, key };
  }

  /** The calendar feeds of the caller's organisation (every feed, for an admin); never a secret. */
  async listFeeds(caller: Caller): Promise<StoredKey[]> {
    const feeds = (await this.deps.store.listKeys()).filter((k) => k.purpose === 'calendar_feed');
    if (caller.kind === 'key' && caller.role === 'admin') return feeds;
    return feeds.filter((k) => caller.kind === 'key' && k.organisationId === caller.organisationId);
  }

  /** Revokes one of the caller's organisation's feeds (any, for an admin): its URL stops working at once. */
  async revokeFeed(caller: Caller, id: string): Promise<StoredKey> {
    const key = await this.deps.store.getKey(id);
    const mine =
      key !== undefined &&
      key.purpose === 'calendar_feed' &&
      caller.kind === 'key' &&
      (caller.role === 'admin' || key.organisationId === caller.organisationId);
    if (!mine) fail('NOT_FOUND', ':id', `your organisation has no calendar feed '${id}'`);
    if (key.revokedAt !== null) fail('INVALID_TRANSITION', ':id', `calendar feed '${id}' was already revoked at ${key.revokedAt}; its URL no longer works`);
    return this.revoke(id);
  }

  /** A presented bearer token → the caller it proves, or why it proves nothing. */
  async authenticate(token: string, today: CalendarDate): Promise<Authentication> {
    if (FEED_TOKEN.test(token)) return { ok: false, reason: 'a calendar feed token opens only its feed (GET /v1/due.ics?token=…), not the API' };
    const m = TOKEN.exec(token);
    if (!m) return { ok: false, reason: 'the key is malformed; it looks like mtk_<16 characters>_<43 characters>' };
    const key = await this.deps.store.getKey(m[1]!);
    if (!key || !this.deps.material.matches(m[2]!, key.secretHash)) return { ok: false, reason: 'the key is not known' };
    return judgeKey(key, today);
  }

  /**
   * The caller a key proves when it was presented earlier (a web session
   * keeps the key's id, never its secret): the same answer authenticate gives
   * today, so a session ends the moment its key is revoked or expires.
   */
  async callerOfKey(keyId: string, today: CalendarDate): Promise<Authentication> {
    const key = await this.deps.store.getKey(keyId);
    return key ? judgeKey(key, today) : { ok: false, reason: 'the key is not known' };
  }

  async revoke(id: string): Promise<StoredKey> {
    const key = await this.deps.store.getKey(id);
    if (!key) fail('NOT_FOUND', ':id', `no key has id '${id}'`);
    if (!(await this.deps.store.revokeKey(id))) fail('ALREADY_SUPERSEDED', ':id', `key '${id}' was already revoked at ${key.revokedAt}`);
    return (await this.deps.store.getKey(id))!;
  }

  listKeys(): Promise<StoredKey[]> {
    return this.deps.store.listKeys();
  }

  record(entry: AuditEntry): Promise<void> {
    return this.deps.store.appendAudit(entry);
  }

  auditLog(q: AuditQuery): Promise<StoredAuditEntry[]> {
    return this.deps.store.queryAudit(q);
  }
}

/** A stored key whose secret was proven: the caller it makes today, or why none (a feed token, revoked, expired). */
function judgeKey(key: StoredKey, today: CalendarDate): Authentication {
  if (key.purpose !== null) return { ok: false, reason: 'the key is not known' };
  if (key.revokedAt !== null) return { ok: false, reason: `the key was revoked at ${key.revokedAt}` };
  if (key.expiresOn !== null && key.expiresOn <= today) return { ok: false, reason: `the key expired on ${key.expiresOn}` };
  return { ok: true, caller: { kind: 'key', keyId: key.id, role: key.role, organisationId: key.organisationId } };
}
