/**
 * Calendar feeds (#21 item 3): an owner or a lab asks for a read-only feed
 * token; the iCalendar feed at its URL carries the organisation's due dates,
 * read back with an independent parser (ical.js) and checked against each
 * instrument's own status and each standard's own chain; the token opens
 * nothing else, an API key never goes in a URL, revocation stops the feed, and
 * no token reaches the audit log.
 */
import type { FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withoutTokens } from '../../src/http/app.ts';
import { rowsOf } from '../../src/persistence/db.ts';
import { testDatabases } from '../helpers/db.ts';
import { ANONYMOUS, SUSPENDED_SCALE, TEST_TODAY, withApp } from '../helpers/app.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', url: string, token: string | null, status: number, payload?: object) {
  const res = await app.inject({ method, url, headers: token === null ? ANONYMOUS : as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 600)}`);
  return /json/.test(res.headers['content-type']?.toString() ?? '') ? res.json() : res.body;
}

interface Event {
  uid: string;
  start: string;
  summary: string;
  description: string;
  alarms: number;
}

function eventsOf(ics: string): Event[] {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, start: e.startDate.toString(), summary: e.summary, description: e.description, alarms: v.getAllSubcomponents('valarm').length };
  });
}

for (const database of testDatabases()) {
  const it = suite(`calendar feeds on ${database.name}`);

  it("an owner's feed holds each mandatory instrument on its due date, or today when it may not be used", () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      // a scale registered as suspended is not in use: nothing falls due for it
      await call(app, 'POST', '/v1/equipment', await keyFor('admin'), 201, SUSPENDED_SCALE);
      const made = await call(app, 'POST', '/v1/feeds', owner, 201, { label: '质量负责人 Outlook' });
      assert.match(made.token, /^mtf_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
      assert.ok(made.url.endsWith(`/v1/due.ics?token=${made.token}`), made.url);
      const res = await app.inject({ method: 'GET', url: `/v1/due.ics?token=${made.token}`, headers: ANONYMOUS });
      assert.is(res.statusCode, 200, res.body);
      assert.is(res.headers['content-type'], 'text/calendar; charset=utf-8');
      assert.ok(
        res.body.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 75),
        'every line folded at 75 octets',
      );
      const events = eventsOf(res.body);

      // independently: every working instrument of the owner and its status today
      const instruments = (await call(app, 'GET', '/v1/equipment?owner=city-market&level=working_instrument&limit=100', owner, 200)).items as Array<{
        id: string;
      }>;
      const expected: Array<[string, string]> = [];
      for (const { id } of instruments) {
        const st = await call(app, 'GET', `/v1/equipment/${id}/status?at=${TEST_TODAY}`, owner, 200);
        if (!st.mandatory || st.state === 'withdrawn') continue; // scrapped or suspended: nothing falls due
        if (!['in_force', 'due_soon'].includes(st.state)) expected.push([`${id}/not-usable`, TEST_TODAY]);
        else if (st.dueOn !== null && st.dueOn <= '2027-11-25')
          expected.push([`${id}/${st.serviceLifeEndsOn === st.dueOn ? 'replace' : 'due'}/${st.dueOn}`, st.dueOn]);
      }
      assert.ok(expected.length >= 2, JSON.stringify(expected));
      assert.equal(events.map((e) => [e.uid.replace(/@.*$/, ''), e.start]).sort(), expected.sort());
      const failed = events.find((e) => e.uid.startsWith('scale-stall-17/'));
      if (failed?.uid.includes('not-usable')) assert.match(failed.summary, /^不得使用 · /);
      for (const e of events) assert.is(e.alarms, e.uid.includes('/not-usable') ? 0 : 1, `${e.uid}: a reminder before a date still to come`);
      assert.not.ok(
        events.some((e) => e.uid.startsWith('scale-stall-99/')),
        'the suspended scale is not on the calendar',
      );

      // the owner lists its feed (never the token), another organisation cannot revoke it, the owner can
      const listed = await call(app, 'GET', '/v1/feeds', owner, 200);
      assert.equal(
        listed.items.map((f: { id: string }) => f.id),
        [made.feed.id],
      );
      assert.not.match(JSON.stringify(listed), /mtf_/);
      const stranger = await keyFor('owner', 'city-hospital');
      assert.equal((await call(app, 'GET', '/v1/feeds', stranger, 200)).items, []);
      assert.is((await call(app, 'DELETE', `/v1/feeds/${made.feed.id}`, stranger, 404)).code, 'NOT_FOUND');
      await call(app, 'DELETE', `/v1/feeds/${made.feed.id}`, owner, 200);
      const again = await call(app, 'DELETE', `/v1/feeds/${made.feed.id}`, owner, 409);
      assert.equal([again.code, /calendar feed .* was already revoked/.test(again.detail)], ['INVALID_TRANSITION', true], again.detail);
      const gone = await call(app, 'GET', `/v1/due.ics?token=${made.token}`, null, 404);
      assert.match(gone.detail, /revoked/);
    }));

  it("a lab's feed holds its standards' certificate and 考核证书 ends from their own chains", () =>
    withApp(database, async ({ app, keyFor }) => {
      const lab = await keyFor('lab', 'city-institute');
      // a standard transferred in belongs on its new owner's calendar, not on the old one's
      await call(app, 'POST', '/v1/equipment/district-f1-set/events', await keyFor('admin'), 201, {
        kind: 'transferred',
        effectiveOn: '2026-11-20',
        newOwnerId: 'city-institute',
      });
      const made = await call(app, 'POST', '/v1/feeds', lab, 201, { label: 'lab calendar' });
      const events = eventsOf(await call(app, 'GET', `/v1/due.ics?token=${made.token}&days=730`, null, 200));
      const standards = [
        ...(await call(app, 'GET', '/v1/equipment?owner=city-institute&limit=100', lab, 200)).items,
        await call(app, 'GET', '/v1/equipment/district-f1-set', lab, 200),
      ] as Array<{ id: string; level: string; assessment: { certificateNo: string; validUntil: string } | null }>;
      const expected: Array<[string, string]> = [];
      for (const s of standards) {
        if (s.level === 'working_instrument') continue;
        if (s.assessment && s.assessment.validUntil <= '2028-11-24')
          expected.push([`${s.id}/assessment/${s.assessment.certificateNo}`, s.assessment.validUntil < TEST_TODAY ? TEST_TODAY : s.assessment.validUntil]);
        const trace = await call(app, 'GET', `/v1/equipment/${s.id}/traceability?at=${TEST_TODAY}`, lab, 200);
        const r = trace.chain.record;
        if (r?.validUntil && r.validUntil <= '2028-11-24')
          expected.push([`${s.id}/certificate/${r.certificateNo}`, r.validUntil < TEST_TODAY ? TEST_TODAY : r.validUntil]);
      }
      assert.ok(expected.some(([uid]) => uid.includes('/assessment/')) && expected.some(([uid]) => uid.includes('/certificate/')), JSON.stringify(expected));
      assert.ok(
        expected.some(([uid]) => uid.startsWith('district-f1-set/')),
        JSON.stringify(expected),
      );
      assert.equal(events.map((e) => [e.uid.replace(/@.*$/, ''), e.start]).sort(), expected.sort());
      assert.ok(events.some((e) => /^计量标准考核证书到期 · /.test(e.summary)));
      const old = await call(app, 'POST', '/v1/feeds', await keyFor('lab', 'district-station'), 201, { label: 'old owner' });
      const oldEvents = eventsOf(await call(app, 'GET', `/v1/due.ics?token=${old.token}&days=730`, null, 200));
      assert.not.ok(
        oldEvents.some((e) => e.uid.startsWith('district-f1-set/')),
        "gone from the old owner's calendar",
      );
      // a shorter horizon leaves out what lies beyond it
      const week = eventsOf(await call(app, 'GET', `/v1/due.ics?token=${made.token}&days=7`, null, 200));
      assert.ok(
        week.every((e) => e.start <= '2026-12-02'),
        JSON.stringify(week.map((e) => e.start)),
      );
    }));

  it("a real feed is counted by its own id, not by the calendar service's shared address; a made-up token by the address", () =>
    withApp(
      database,
      async ({ app, keyFor }) => {
        const made = await call(app, 'POST', '/v1/feeds', await keyFor('owner', 'city-market'), 201, { label: 'a calendar service' });
        const health = () => app.inject({ method: 'GET', url: '/health', headers: ANONYMOUS });
        assert.equal(
          [(await health()).statusCode, (await health()).statusCode, (await health()).statusCode],
          [200, 200, 429],
          "the address's allowance is spent",
        );
        const feed = () => app.inject({ method: 'GET', url: `/v1/due.ics?token=${made.token}`, headers: ANONYMOUS });
        assert.equal([(await feed()).statusCode, (await feed()).statusCode, (await feed()).statusCode], [200, 200, 200], 'the feed has its own');
        const madeUp = await app.inject({ method: 'GET', url: `/v1/due.ics?token=mtf_${'z'.repeat(16)}_${'A'.repeat(43)}`, headers: ANONYMOUS });
        assert.is(madeUp.statusCode, 429, 'a made-up token does not open a new allowance');
      },
      { protection: { publicPerMinute: 2, keyPerMinute: 3 } },
    ));

  it('a feed ends with the key that asked for it: its expiry, and its revocation', () =>
    withApp(database, async ({ app, access, keyFor }) => {
      const leaving = await access.issue(
        { role: 'owner', organisationId: 'city-market', label: 'a clerk who is leaving', expiresOn: '2026-12-31' },
        TEST_TODAY,
      );
      const made = await call(app, 'POST', '/v1/feeds', leaving.token, 201, { label: "clerk's phone" });
      const keys = (await call(app, 'GET', '/v1/keys', await keyFor('admin'), 200)).items as Array<{
        id: string;
        purpose: string | null;
        issuedByKey: string | null;
        expiresOn: string | null;
      }>;
      const feed = keys.find((k) => k.id === made.feed.id)!;
      assert.equal(
        [feed.purpose, feed.issuedByKey, feed.expiresOn],
        ['calendar_feed', leaving.key.id, '2026-12-31'],
        'an administrator sees a feed for what it is, and it expires with its issuer',
      );
      await call(app, 'GET', `/v1/due.ics?token=${made.token}`, null, 200);
      await access.revoke(leaving.key.id);
      const refused = await call(app, 'GET', `/v1/due.ics?token=${made.token}`, null, 404);
      assert.match(refused.detail, /asked for this calendar feed was revoked/);
    }));

  it('a feed token opens its feed only; an API key is never taken in a URL; no token reaches the audit log', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const made = await call(app, 'POST', '/v1/feeds', owner, 201, { label: 'phone' });
      const asBearer = await call(app, 'GET', '/v1/equipment/scale-stall-17', made.token, 401);
      assert.match(asBearer.detail, /opens only its feed/);
      const keyInUrl = await call(app, 'GET', `/v1/due.ics?token=${owner}`, null, 404);
      assert.match(keyInUrl.detail, /never a key/);
      assert.is((await call(app, 'GET', '/v1/due.ics?token=mtf_0000000000000000_' + 'A'.repeat(43), null, 404)).code, 'NOT_FOUND');
      assert.is((await call(app, 'GET', `/v1/due.ics?token=${made.token}&days=0`, null, 400)).code, 'INVALID_FIELD');
      // feeds belong to organisations: an inspector may not ask for one, an admin has none of its own
      await call(app, 'POST', '/v1/feeds', await keyFor('inspector', 'city-samr'), 403, { label: 'x' });
      assert.is((await call(app, 'POST', '/v1/feeds', await keyFor('admin'), 403, { label: 'x' })).code, 'FORBIDDEN');
      const audit = rowsOf<{ path: string; params: unknown }>(await db.execute(sql`select path, params from audit_log`));
      assert.ok(audit.length > 0);
      assert.not.match(JSON.stringify(audit), /mtf_|mtk_/, 'no token in the audit log');
      assert.is(withoutTokens(`/v1/due.ics?token=${made.token}&days=30`), '/v1/due.ics?(query withheld)');
      assert.is(withoutTokens(`/v1/due.ics?%74oken=${made.token}`), '/v1/due.ics?(query withheld)', 'a percent-encoded name too: the query parser decodes it');
      assert.is(withoutTokens('/v1/due?from=2026-11-25&to=2027-11-24'), '/v1/due?from=2026-11-25&to=2027-11-24', 'other queries are logged as they are');
      // the feed key enters the ledger like any key, and the ledger still verifies
      const ledger = await call(app, 'GET', '/v1/ledger/verify', await keyFor('admin'), 200);
      assert.equal([ledger.valid, ledger.unledgered.count], [true, 0], JSON.stringify(ledger));
    }));

  it.run();
}
