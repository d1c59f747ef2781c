/**
 * The access use case (app/access.ts) over an in-memory key store: issuing
 * keys and feeds, authenticating tokens (shape, secret, purpose, revocation,
 * expiry), revoking, and who may see and revoke a feed.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AccessService } from '../../src/app/access.ts';
import type { Caller } from '../../src/core/access/roles.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { fail } from '../../src/core/errors.ts';
import type { OrganisationKind } from '../../src/core/registry/vocabulary.ts';
import { countedMaterial, MemoryAccessStore, rejects } from '../helpers/app-units.ts';

const TODAY = '2026-11-25' as CalendarDate;
const KINDS: Record<string, OrganisationKind> = {
  'city-market': 'enterprise',
  'district-station': 'legal_metrology_institute',
  'city-samr': 'regulator',
};

function service() {
  const store = new MemoryAccessStore();
  const access = new AccessService({
    store,
    material: countedMaterial(),
    organisationKind: async (id) => KINDS[id] ?? fail('NOT_FOUND', '/organisationId', `no organisation '${id}'`),
  });
  return { store, access };
}

const callerOf = (keyId: string, role: 'owner' | 'lab' | 'admin' | 'inspector', organisationId: string | null): Caller => ({
  kind: 'key',
  keyId,
  role,
  organisationId,
});

const it = suite('app/access: keys');

it('issues a key: the token is mtk_<id>_<secret>, only the hash of the secret is stored, the label is trimmed', async () => {
  const { store, access } = service();
  const issued = await access.issue({ role: 'owner', organisationId: 'city-market', label: '  stall office  ', expiresOn: '2027-01-01' }, TODAY);
  assert.is(issued.token, `mtk_key0000000000001_s${'0'.repeat(41)}1`);
  const stored = store.keys.get('key0000000000001')!;
  assert.is(stored.secretHash, `h(s${'0'.repeat(41)}1)`);
  assert.is(stored.label, 'stall office');
  assert.is(stored.expiresOn, '2027-01-01');
  assert.is(stored.purpose, null);
  assert.is(stored.issuedByKey, null);
  assert.equal(issued.key, stored);
});

it('refuses a request that does not make a key: unknown role, unbound or bound admin, wrong organisation kind, blank label, past expiry', async () => {
  const { access, store } = service();
  await rejects(access.issue({ role: 'root', organisationId: null, label: 'x' }, TODAY), 'INVALID_FIELD', '/role');
  await rejects(access.issue({ role: 'lab', label: 'x' }, TODAY), 'MISSING_FIELD', '/organisationId');
  await rejects(access.issue({ role: 'admin', organisationId: 'city-market', label: 'x' }, TODAY), 'INVALID_FIELD', '/organisationId');
  await rejects(access.issue({ role: 'lab', organisationId: 'city-market', label: 'x' }, TODAY), 'WRONG_ORGANISATION_KIND', '/organisationId');
  await rejects(access.issue({ role: 'owner', organisationId: 'nobody', label: 'x' }, TODAY), 'NOT_FOUND');
  await rejects(access.issue({ role: 'owner', organisationId: 'city-market', label: '   ' }, TODAY), 'MISSING_FIELD', '/label');
  await rejects(access.issue({ role: 'admin', label: 'x', expiresOn: '2026-02-30' }, TODAY), 'INVALID_DATE', '/expiresOn');
  // a key expiring today would already be expired: expiry is exclusive
  await rejects(access.issue({ role: 'admin', label: 'x', expiresOn: TODAY }, TODAY), 'INVALID_DATE', '/expiresOn');
  assert.is(store.keys.size, 0, 'nothing was stored');
  const ok = await access.issue({ role: 'admin', label: 'x', expiresOn: '2026-11-26' }, TODAY);
  assert.is(ok.key.organisationId, null);
});

it('authenticates a token as its caller; a malformed, unknown, wrong-secret, revoked or expired key proves nothing', async () => {
  const { access } = service();
  const { token, key } = await access.issue({ role: 'lab', organisationId: 'district-station', label: 'bench', expiresOn: '2026-12-01' }, TODAY);
  assert.equal(await access.authenticate(token, TODAY), { ok: true, caller: { kind: 'key', keyId: key.id, role: 'lab', organisationId: 'district-station' } });
  assert.equal(await access.authenticate('Bearer x', TODAY), {
    ok: false,
    reason: 'the key is malformed; it looks like mtk_<16 characters>_<43 characters>',
  });
  assert.equal(await access.authenticate(token.replace(/.$/, '2'), TODAY), { ok: false, reason: 'the key is not known' });
  assert.equal(await access.authenticate(token.replace('key0000000000001', 'key0000000000009'), TODAY), { ok: false, reason: 'the key is not known' });
  // valid through the day before its expiry, expired on it
  assert.ok((await access.authenticate(token, '2026-11-30' as CalendarDate)).ok);
  assert.equal(await access.authenticate(token, '2026-12-01' as CalendarDate), { ok: false, reason: 'the key expired on 2026-12-01' });
  await access.revoke(key.id);
  const after = await access.authenticate(token, TODAY);
  assert.equal(after, { ok: false, reason: 'the key was revoked at 2026-11-25T02:00:00.000Z' });
  assert.equal(await access.callerOfKey(key.id, TODAY), after);
  assert.equal(await access.callerOfKey('nope', TODAY), { ok: false, reason: 'the key is not known' });
});

it('revokes a key once: a second revocation and an unknown id are errors', async () => {
  const { access } = service();
  const { key } = await access.issue({ role: 'admin', label: 'ops' }, TODAY);
  const revoked = await access.revoke(key.id);
  assert.is(revoked.revokedAt, '2026-11-25T02:00:00.000Z');
  await rejects(access.revoke(key.id), 'ALREADY_SUPERSEDED', ':id');
  await rejects(access.revoke('missing'), 'NOT_FOUND', ':id');
  assert.equal(
    (await access.listKeys()).map((k) => k.id),
    [key.id],
  );
});

it('records audit entries through the store and reads them back', async () => {
  const { access, store } = service();
  const entry = {
    keyId: null,
    role: 'public' as const,
    organisationId: null,
    method: 'GET',
    route: '/v1/label',
    path: '/v1/label',
    params: {},
    status: 200,
    outcome: 'ok' as const,
    address: '127.0.0.1',
    requestId: 'r1',
  };
  await access.record(entry);
  assert.is(store.audit.length, 1);
  assert.is((await access.auditLog({ limit: 10 }))[0]!.requestId, 'r1');
});

it.run();

const feeds = suite('app/access: calendar feeds');

feeds('an owner or lab key asks for a feed of its organisation: mtf_ token, the issuer recorded, the issuer’s expiry inherited', async () => {
  const { access } = service();
  const owner = await access.issue({ role: 'owner', organisationId: 'city-market', label: 'office', expiresOn: '2027-03-01' }, TODAY);
  const feed = await access.issueFeed(callerOf(owner.key.id, 'owner', 'city-market'), ' Outlook ');
  assert.ok(feed.token.startsWith('mtf_key0000000000002_'), feed.token);
  assert.equal(
    [feed.key.purpose, feed.key.issuedByKey, feed.key.expiresOn, feed.key.label, feed.key.role, feed.key.organisationId],
    ['calendar_feed', owner.key.id, '2027-03-01', 'Outlook', 'owner', 'city-market'],
  );
  assert.equal(await access.authenticateFeed(feed.token, TODAY), { ok: true, key: feed.key });
  // the feed token does not open the API, and the API key does not open a feed
  assert.equal(await access.authenticate(feed.token, TODAY), {
    ok: false,
    reason: 'a calendar feed token opens only its feed (GET /v1/due.ics?token=…), not the API',
  });
  assert.ok(/this is an API key/.test(((await access.authenticateFeed(owner.token, TODAY)) as { reason: string }).reason));
  assert.ok(/malformed/.test(((await access.authenticateFeed('mtf_short', TODAY)) as { reason: string }).reason));
  assert.equal(await access.authenticateFeed(feed.token.replace(/.$/, 'x'), TODAY), { ok: false, reason: 'no calendar feed has this token' });
  // the feed expires with its issuer's expiry
  assert.equal(await access.authenticateFeed(feed.token, '2027-03-01' as CalendarDate), {
    ok: false,
    reason: 'this calendar feed expired on 2027-03-01, with the key that asked for it',
  });
  // a feed id presented as an API key is not a key
  assert.equal(await access.callerOfKey(feed.key.id, TODAY), { ok: false, reason: 'the key is not known' });
});

feeds('only an owner or lab key bound to an organisation may ask for a feed, with a label', async () => {
  const { access } = service();
  await rejects(access.issueFeed({ kind: 'public' }, 'x'), 'FORBIDDEN', 'authorization');
  await rejects(access.issueFeed(callerOf('k', 'admin', null), 'x'), 'FORBIDDEN', 'authorization');
  await rejects(access.issueFeed(callerOf('k', 'inspector', 'city-samr'), 'x'), 'FORBIDDEN', 'authorization');
  await rejects(access.issueFeed(callerOf('k', 'lab', 'district-station'), ' '), 'MISSING_FIELD', '/label');
});

feeds('a feed ends with the key that asked for it, and when it is revoked itself', async () => {
  const { access } = service();
  const owner = await access.issue({ role: 'owner', organisationId: 'city-market', label: 'office' }, TODAY);
  const feed = await access.issueFeed(callerOf(owner.key.id, 'owner', 'city-market'), 'phone');
  await access.revoke(owner.key.id);
  assert.ok(/the key that asked for this calendar feed was revoked/.test(((await access.authenticateFeed(feed.token, TODAY)) as { reason: string }).reason));
  const lab = await access.issue({ role: 'lab', organisationId: 'district-station', label: 'lab' }, TODAY);
  const labFeed = await access.issueFeed(callerOf(lab.key.id, 'lab', 'district-station'), 'lab calendar');
  await access.revokeFeed(callerOf(lab.key.id, 'lab', 'district-station'), labFeed.key.id);
  assert.equal(await access.authenticateFeed(labFeed.token, TODAY), { ok: false, reason: 'this calendar feed was revoked at 2026-11-25T02:00:00.000Z' });
});

feeds('each organisation lists and revokes its own feeds only; an admin sees and revokes all', async () => {
  const { access } = service();
  const owner = await access.issue({ role: 'owner', organisationId: 'city-market', label: 'o' }, TODAY);
  const lab = await access.issue({ role: 'lab', organisationId: 'district-station', label: 'l' }, TODAY);
  const ownerCaller = callerOf(owner.key.id, 'owner', 'city-market');
  const labCaller = callerOf(lab.key.id, 'lab', 'district-station');
  const ownerFeed = await access.issueFeed(ownerCaller, 'of');
  const labFeed = await access.issueFeed(labCaller, 'lf');
  assert.equal(
    (await access.listFeeds(ownerCaller)).map((k) => k.id),
    [ownerFeed.key.id],
  );
  assert.equal(
    (await access.listFeeds(callerOf('a', 'admin', null))).map((k) => k.id),
    [ownerFeed.key.id, labFeed.key.id],
  );
  assert.equal(await access.listFeeds({ kind: 'public' }), []);
  await rejects(access.revokeFeed(ownerCaller, labFeed.key.id), 'NOT_FOUND', ':id');
  // an API key is not a feed, even for an admin
  await rejects(access.revokeFeed(callerOf('a', 'admin', null), owner.key.id), 'NOT_FOUND', ':id');
  await access.revokeFeed(callerOf('a', 'admin', null), labFeed.key.id);
  await rejects(access.revokeFeed(labCaller, labFeed.key.id), 'INVALID_TRANSITION', ':id');
});

feeds.run();
