/**
 * The web pages' sessions (issue #21): the key exchanged for a session cookie
 * (HttpOnly, SameSite=Strict, Path=/app, Secure over TLS), never written into a
 * page, a log line or the audit log; CSRF tokens checked on every POST; the
 * session acts with exactly its key's role and scope and ends with the key, at
 * sign-out and after the idle time-out.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_HOURS, SessionService } from '../../src/app/sessions.ts';
import { DrizzleSessionStore } from '../../src/persistence/session-store.ts';
import { keyMaterial } from '../../src/runtime/key-material.ts';
import { fieldOfPointer } from '../../src/http/routes/app-pages.ts';
import { ANONYMOUS, rowCounts, TEST_TODAY, withApp } from '../helpers/app.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { signIn } from '../helpers/pages.ts';

const form = (cookie: string, body: Record<string, string>) => ({
  headers: { ...ANONYMOUS, cookie, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(body).toString(),
});

const it = suite('web pages at /app: sessions, CSRF, keys');

it('the key becomes an HttpOnly, SameSite=Strict session cookie for /app (Secure over TLS), and appears in no page, log line, audit row or session row', async () => {
  const log: string[] = [];
  await withApp(
    testDatabases()[0]!,
    async ({ app, db, keyFor }) => {
      const key = await keyFor('owner', 'city-market');
      const pre = await app.inject({ method: 'GET', url: '/app/sign-in', headers: ANONYMOUS });
      const signInCookie = String(pre.headers['set-cookie']).split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(pre.body)![1]!;
      const res = await app.inject({ method: 'POST', url: '/app/sign-in', ...form(signInCookie, { _csrf: csrf, key }) });
      assert.is(res.statusCode, 303);
      assert.is(res.headers.location, '/app/instruments', 'an owner lands on its instruments');
      const set = ([] as string[]).concat(res.headers['set-cookie'] as string[]);
      const session = set.find((c) => c.startsWith('mt_session='))!;
      const attrs = session.split(';').map((s) => s.trim());
      assert.ok(attrs.includes('HttpOnly') && attrs.includes('SameSite=Strict') && attrs.includes('Path=/app'), session);
      assert.not.ok(attrs.includes('Secure'), 'plain HTTP: no Secure (the browser would drop it)');
      const sessionId = decodeURIComponent(session.split(';')[0]!.split('=')[1]!);

      // over TLS (behind a trusted proxy saying so): Secure
      const tls = await app.inject({
        method: 'POST',
        url: '/app/sign-in',
        ...form(signInCookie, { _csrf: csrf, key }),
        headers: { ...form(signInCookie, {}).headers, 'x-forwarded-proto': 'https' },
      });
      assert.ok(
        ([] as string[])
          .concat(tls.headers['set-cookie'] as string[])
          .find((c) => c.startsWith('mt_session='))!
          .includes('Secure'),
      );

      // a page visited, a failed sign-in, a form posted: the key is nowhere
      const cookie = session.split(';')[0]!;
      const bodies: string[] = [pre.body, res.body];
      for (const url of ['/app/instruments', '/app/instruments/scale-stall-17', '/app/due', '/app/import', '/app/search?q=XH-JD2026-00317']) {
        const page = await app.inject({ method: 'GET', url, headers: { ...ANONYMOUS, cookie } });
        assert.is(page.statusCode, 200, `${url}: ${page.body.slice(0, 300)}`);
        bodies.push(page.body);
      }
      const wrong = await app.inject({ method: 'POST', url: '/app/sign-in', ...form(signInCookie, { _csrf: csrf, key: `${key.slice(0, -3)}abc` }) });
      assert.match(wrong.body, /the key is not known/);
      bodies.push(wrong.body);
      // mtk_<id>_<secret>: the secret is base64url, which may itself hold '_' (a cut at the next one left two characters, found by chance in a page)
      const secret = key.split('_').slice(2).join('_');
      assert.ok(secret.length >= 40, secret);
      for (const b of bodies) assert.not.ok(b.includes(secret), 'no page holds the key');
      assert.ok(log.length > 5, 'the requests were logged');
      assert.not.ok(
        log.some((l) => l.includes(secret)),
        'no log line holds the key',
      );
      const audit = JSON.stringify(await db.execute(sql`select key_id, params::text as p, path from audit_log`));
      assert.not.ok(audit.includes(secret), 'no audit row holds the key');
      assert.ok(audit.includes(key.split('_')[1]!), 'the sign-in is logged under the key id');
      const signIns = JSON.stringify(await db.execute(sql`select status, outcome from audit_log where method = 'POST' and path = '/app/sign-in' order by seq`));
      assert.match(signIns, /"status":200,"outcome":"denied"/, 'the refused sign-in, answered 200 as a page, is recorded as denied');
      const rows = await db.execute(sql`select * from app_sessions`);
      const stored = JSON.stringify(rows);
      assert.not.ok(stored.includes(secret) || stored.includes(sessionId), 'sessions keep a hash of their id and no key');
      assert.ok(stored.includes(keyMaterial.hash(sessionId)));
    },
    { trustProxy: '127.0.0.1', logger: { stream: { write: (line: string) => void log.push(line) } } },
  );
});

it('every POST of a page needs its session’s CSRF token: without it, or with another session’s, it is refused (403) and nothing is written', () =>
  withApp(testDatabases()[0]!, async ({ app, db, keyFor }) => {
    const lab = await signIn(app, await keyFor('lab', 'district-station'));
    const other = await signIn(app, await keyFor('lab', 'district-station'));
    const thirdKey = await keyFor('lab', 'district-station');
    const ownerKey = await keyFor('owner', 'city-market');
    const before = await rowCounts(db);
    const record = {
      subjectId: 'scale-stall-42',
      certificateNo: 'XH-JD2026-07001',
      performedOn: '2026-11-20',
      validUntil: '2027-11-19',
      conformity: 'pass',
      kind: 'verification',
      referenceIds: 'district-f1-set',
    };
    for (const [what, body] of [
      ['no token', record],
      ['an empty token', { ...record, _csrf: '' }],
      ["another session's token", { ...record, _csrf: other.csrf }],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/app/record', ...form(lab.cookie, body) });
      assert.is(res.statusCode, 403, what);
      assert.match(res.body, /data-reason="csrf"/, what);
    }
    // a multipart form (the import) and the sign-out are checked alike
    const boundary = 'x-boundary';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\ncommit\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nId,Name\r\nx,y\r\n--${boundary}--\r\n`;
    const imp = await app.inject({
      method: 'POST',
      url: '/app/import',
      headers: { ...ANONYMOUS, cookie: lab.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: multipart,
    });
    assert.is(imp.statusCode, 403);
    // only the import page takes a spreadsheet's size: a large form to any other page is refused unread
    const big = `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${'x'.repeat(2 * 1024 * 1024)}\r\n--${boundary}--\r\n`;
    const flood = await app.inject({
      method: 'POST',
      url: '/app/sign-in',
      headers: { ...ANONYMOUS, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: big,
    });
    assert.is(flood.statusCode, 413);
    const owner = await signIn(app, ownerKey);
    const bigFile = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${owner.csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\ndry-run\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nName,Remarks\r\nx,${'y'.repeat(2 * 1024 * 1024)}\r\n--${boundary}--\r\n`;
    const bigImport = await app.inject({
      method: 'POST',
      url: '/app/import',
      headers: { ...ANONYMOUS, cookie: owner.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: bigFile,
    });
    assert.is(bigImport.statusCode, 303, 'the import page takes a file larger than the app body limit');
    const out = await app.inject({ method: 'POST', url: '/app/sign-out', ...form(lab.cookie, {}) });
    assert.is(out.statusCode, 403);
    // the sign-in form without its cookie's token
    const signInNoToken = await app.inject({ method: 'POST', url: '/app/sign-in', ...form('', { key: thirdKey }) });
    assert.is(signInNoToken.statusCode, 403);
    assert.equal(await rowCounts(db), before, 'nothing written');
    // with the token, the same record is written
    const ok = await app.inject({ method: 'POST', url: '/app/record', ...form(lab.cookie, { ...record, _csrf: lab.csrf }) });
    assert.is(ok.statusCode, 303, ok.body.slice(0, 500));
    const done = await app.inject({ method: 'GET', url: String(ok.headers.location), headers: { ...ANONYMOUS, cookie: lab.cookie } });
    assert.match(done.body, /id="message"[^>]*>[^<]*XH-JD2026-07001/, 'the record read back');
    const claimed = await app.inject({ method: 'GET', url: '/app/record?saved=no-such-record', headers: { ...ANONYMOUS, cookie: lab.cookie } });
    assert.is(claimed.statusCode, 404, 'a link cannot claim a record that is not there');
  }));

it("a session acts with exactly its key's role and scope, and ends with the key and at sign-out", () =>
  withApp(testDatabases()[0]!, async ({ app, access, keyFor }) => {
    const key = await keyFor('owner', 'city-market');
    const owner = await signIn(app, key);
    const get = (url: string, cookie = owner.cookie) => app.inject({ method: 'GET', url, headers: { ...ANONYMOUS, cookie } });
    const list = (await get('/app/instruments')).body;
    assert.match(list, /data-id="scale-stall-17"/);
    assert.not.match(list, /data-id="infant-scale-ward3"/, "another owner's instrument is not listed");
    const foreign = await get('/app/instruments/infant-scale-ward3');
    assert.is(foreign.statusCode, 403, 'another owner’s instrument is refused, as GET /v1/equipment/{id} refuses it');
    assert.match(foreign.body, /data-code="FORBIDDEN"/);
    assert.is((await get('/app/record')).statusCode, 403, 'an owner does not record calibrations');
    assert.is((await get('/app/audits')).statusCode, 403);

    // revoking the key ends the session at once
    const keyId = key.split('_')[1]!;
    await access.revoke(keyId);
    const after = await get('/app/instruments');
    assert.is(after.statusCode, 303);
    assert.match(String(after.headers.location), /^\/app\/sign-in\?.*ended=1/);

    // sign-out ends it too
    const inspector = await signIn(app, await keyFor('inspector', 'city-samr'));
    assert.is((await get('/app/search', inspector.cookie)).statusCode, 200);
    const out = await app.inject({ method: 'POST', url: '/app/sign-out', ...form(inspector.cookie, { _csrf: inspector.csrf }) });
    assert.is(out.statusCode, 303);
    assert.match(String(out.headers['set-cookie']), /mt_session=;.*Max-Age=0/);
    assert.is((await get('/app/search', inspector.cookie)).statusCode, 303, 'the old cookie opens nothing');
    // without a session: to the sign-in form, with the page to come back to
    const anon = await app.inject({ method: 'GET', url: '/app/due?to=2026-12-31', headers: ANONYMOUS });
    assert.is(anon.statusCode, 303);
    assert.is(anon.headers.location, `/app/sign-in?next=${encodeURIComponent('/app/due?to=2026-12-31')}`);
  }));

const BOUNDARY = 'x-boundary';
/** One field of a multipart form body. */
const formPart = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

/** A multipart form posted to the import page under a session. */
const postImportForm = (app: FastifyInstance, session: { cookie: string }, body: string) =>
  app.inject({
    method: 'POST',
    url: '/app/import',
    headers: { ...ANONYMOUS, cookie: session.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    payload: Buffer.from(body, 'utf8'),
  });

/** A CSV register committed through the import page's form, as a browser posts it (with the session's CSRF token). */
const importThroughPage = (app: FastifyInstance, session: { cookie: string; csrf: string }, kind: string, csv: string) =>
  postImportForm(
    app,
    session,
    formPart('_csrf', session.csrf) +
      formPart('kind', kind) +
      formPart('action', 'commit') +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${kind}.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${BOUNDARY}--\r\n`,
  );

for (const database of testDatabases())
  it(`a session ends after the idle time-out, counted from its last request (${database.name})`, () =>
    withApp(database, async ({ db, access, keyFor }) => {
      let now = new Date('2026-11-25T08:00:00Z');
      const sessions = new SessionService({
        store: new DrizzleSessionStore(db),
        access,
        newSecret: keyMaterial.newSecret,
        hash: keyMaterial.hash,
        now: () => now,
        idleMinutes: 30,
      });
      const signed = await sessions.signIn(await keyFor('auditor', 'city-samr'), TEST_TODAY);
      assert.ok(signed.ok);
      if (!signed.ok) return;
      now = new Date('2026-11-25T08:29:00Z');
      assert.ok((await sessions.resume(signed.sessionId, TEST_TODAY)).ok, 'within 30 minutes');
      now = new Date('2026-11-25T08:58:00Z');
      assert.ok((await sessions.resume(signed.sessionId, TEST_TODAY)).ok, 'counted from the last request, not from sign-in');
      now = new Date('2026-11-25T09:28:00Z');
      const idle = await sessions.resume(signed.sessionId, TEST_TODAY);
      assert.equal(idle, { ok: false, reason: 'idle for more than 30 minutes' });
      assert.equal(await sessions.resume('not-a-session', TEST_TODAY), { ok: false, reason: 'no session' });
      const bad = await sessions.signIn('mtk_nope', TEST_TODAY);
      assert.not.ok(bad.ok);
      // a day after it went idle, the next sign-in forgets it
      const count = () => countOf(db, 'select count(*)::int as n from app_sessions');
      assert.is(await count(), 1);
      now = new Date('2026-11-26T09:29:00Z'); // a day and a minute after it went idle (09:28)
      assert.ok((await sessions.signIn(await keyFor('auditor', 'city-samr'), TEST_TODAY)).ok);
      assert.is(await count(), 1, 'the idle one is gone, the new one is there');
    }));

for (const database of testDatabases())
  it(`a session ends ${MAX_HOURS} hours after sign-in however busy it was (${database.name})`, () =>
    withApp(database, async ({ db, access, keyFor }) => {
      let now = new Date('2026-11-25T08:00:00Z');
      const sessions = new SessionService({
        store: new DrizzleSessionStore(db),
        access,
        newSecret: keyMaterial.newSecret,
        hash: keyMaterial.hash,
        now: () => now,
        idleMinutes: 30,
      });
      const signed = await sessions.signIn(await keyFor('inspector', 'city-samr'), TEST_TODAY);
      assert.ok(signed.ok);
      if (!signed.ok) return;
      // a request every 20 minutes: never idle
      for (let minutes = 20; minutes < MAX_HOURS * 60; minutes += 20) {
        now = new Date(Date.parse('2026-11-25T08:00:00Z') + minutes * 60_000);
        assert.ok((await sessions.resume(signed.sessionId, TEST_TODAY)).ok, `after ${minutes} minutes`);
      }
      now = new Date('2026-11-25T20:00:00Z');
      assert.equal(await sessions.resume(signed.sessionId, TEST_TODAY), { ok: false, reason: `signed in more than ${MAX_HOURS} hours ago` });
      // refused, it was not touched again: a day after its last idle expiry the next sign-in forgets it
      now = new Date('2026-11-26T20:21:00Z');
      assert.ok((await sessions.signIn(await keyFor('inspector', 'city-samr'), TEST_TODAY)).ok);
      assert.is(await countOf(db, 'select count(*)::int as n from app_sessions'), 1);
    }));

it("the pages' links open under the session: the import templates, the chain and control chart, a standard's impact list, the lab's scope and CMCs", () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const lab = await signIn(app, await keyFor('lab', 'district-station'));
    const get = (url: string) => app.inject({ method: 'GET', url, headers: { ...ANONYMOUS, cookie: lab.cookie } });
    const importPage = (await get('/app/import?lang=en')).body;
    for (const href of [...importPage.matchAll(/href="(\/app\/imports\/templates\/[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))) {
      const res = await get(href);
      assert.is(res.statusCode, 200, href);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="(equipment|records)-en\.(csv|xlsx)"/);
    }
    assert.match(importPage, /records\.xlsx/, 'a lab is offered the records template too');
    const instrument = (await get('/app/instruments/scale-stall-17')).body;
    for (const src of [...instrument.matchAll(/<img id="[^"]+" src="([^"]+)"/g)].map((m) => m[1]!)) {
      const res = await get(src);
      assert.is(res.statusCode, 200, src);
      assert.match(String(res.headers['content-type']), /^image\/svg\+xml/);
      assert.match(res.body, /^<svg|^<\?xml/);
    }
    const impact = (await get('/app/instruments/district-f1-set?since=2026-01-01')).body;
    assert.match(impact, /<table id="impact">.*scale-stall-17/s, 'the scales verified with the weight set since the date');
    const standards = (await get('/app/standards')).body;
    assert.match(standards, /<table id="scopes">/);
    assert.match(standards, /<table id="scopes">.*MV016/s, "the station's authorised scope names the scales' category");
  }));

it('a lab imports the certificates it issued through the import page (register kind records); an owner is not offered it', () =>
  withApp(testDatabases()[0]!, async ({ app, db, keyFor }) => {
    const lab = await signIn(app, await keyFor('lab', 'district-station'));
    const csv =
      '证书编号,检定或校准,使用单位ID,器具编号,检定/校准日期,有效期至,检定结论,计量标准器ID,标称值,调整前实测值,单位\r\nXH-JD2026-07100,检定,city-market,LH-42,2026-11-20,2027-11-19,合格,district-f1-set,15,15.004,kg\r\n,,,,,,,,30,30.006,kg\r\n';
    const res = await importThroughPage(app, lab, 'records', csv);
    assert.is(res.statusCode, 303, res.body.slice(0, 500));
    const job = await app.inject({ method: 'GET', url: String(res.headers.location), headers: { ...ANONYMOUS, cookie: lab.cookie } });
    assert.match(job.body, /data-status="completed"/);
    assert.match(job.body, /data-status="created"[^<]*<strong>2<\/strong>/, job.body.slice(0, 2000));
    const record = await app.inject({ method: 'GET', url: '/v1/calibrations?certificateNo=XH-JD2026-07100' });
    assert.equal(
      record.json().items.map((r: { subjectId: string; points: unknown[] }) => [r.subjectId, r.points.length]),
      [['scale-stall-42', 2]],
    );
    // a form shown again with its problem answers 200 for the browser and is recorded as refused
    const noFile = await postImportForm(app, lab, formPart('_csrf', lab.csrf) + formPart('action', 'commit') + `--${BOUNDARY}--\r\n`);
    assert.is(noFile.statusCode, 200);
    const audit = JSON.stringify(
      await db.execute(sql`select outcome, params::text as p from audit_log where method = 'POST' and path = '/app/import' order by seq`),
    );
    assert.match(audit, /"outcome":"ok".*"outcome":"refused","p":"[^}]*MISSING_FIELD/, audit);
    const owner = await signIn(app, await keyFor('owner', 'city-market'));
    const ownerPage = (await app.inject({ method: 'GET', url: '/app/import', headers: { ...ANONYMOUS, cookie: owner.cookie } })).body;
    assert.not.match(ownerPage, /records\.xlsx|name="kind"/);
  }));

it("an admin imports a lab's scopes and CMCs through the import page; a lab is not offered them", () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const lab = await signIn(app, await keyFor('lab', 'district-station'));
    const labPage = (await app.inject({ method: 'GET', url: '/app/import', headers: { ...ANONYMOUS, cookie: lab.cookie } })).body;
    assert.not.match(labPage, /scopes\.xlsx|cmcs\.xlsx|value="scopes"/);
    const admin = await signIn(app, await keyFor('admin'));
    const adminPage = (await app.inject({ method: 'GET', url: '/app/import', headers: { ...ANONYMOUS, cookie: admin.cookie } })).body;
    assert.match(adminPage, /scopes\.xlsx.*cmcs\.xlsx/s);
    assert.match(adminPage, /value="scopes".*value="cmcs"/s);
    const template = await app.inject({ method: 'GET', url: '/app/imports/templates/cmcs.csv', headers: { ...ANONYMOUS, cookie: admin.cookie } });
    assert.is(template.statusCode, 200);
    const csv =
      '检定/校准机构ID,被测量,测量范围下限,测量范围上限,测量范围单位,扩展不确定度,包含因子,有效期起,有效期至\r\nacme-cal,温度,-40,300,°C,0.05,2,2025-01-01,2029-12-31\r\nacme-cal,温度,300,600,°C,0.05,0,2025-01-01,2029-12-31\r\n';
    const res = await importThroughPage(app, admin, 'cmcs', csv);
    assert.is(res.statusCode, 303, res.body.slice(0, 500));
    const job = (await app.inject({ method: 'GET', url: String(res.headers.location), headers: { ...ANONYMOUS, cookie: admin.cookie } })).body;
    assert.match(job, /data-status="created"[^<]*<strong>1<\/strong>/, job.slice(0, 2000));
    assert.match(job, /<td>3<\/td><td>包含因子<\/td><td><code>INVALID_FIELD<\/code>/, 'the bad row under its column');
  }));

it("an owner's energy-metering inventory with its meters' status; another's is refused", () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const steel = await signIn(app, await keyFor('owner', 'steel-works'));
    const page = await app.inject({ method: 'GET', url: '/app/energy', headers: { ...ANONYMOUS, cookie: steel.cookie } });
    assert.is(page.statusCode, 200);
    assert.match(page.body, /<table id="inventory">.*steel-main-meter.*data-state=/s);
    const market = await signIn(app, await keyFor('owner', 'city-market'));
    assert.match(
      (await app.inject({ method: 'GET', url: '/app/energy', headers: { ...ANONYMOUS, cookie: market.cookie } })).body,
      /id="no-inventory"/,
      'the market has none',
    );
    const inspector = await signIn(app, await keyFor('inspector', 'city-samr'));
    assert.match(
      (await app.inject({ method: 'GET', url: '/app/energy?org=steel-works', headers: { ...ANONYMOUS, cookie: inspector.cookie } })).body,
      /<table id="inventory">/,
      'an inspector of the region reads it',
    );
    const hospital = await signIn(app, await keyFor('owner', 'city-hospital'));
    assert.is(
      (await app.inject({ method: 'GET', url: '/app/energy?org=steel-works', headers: { ...ANONYMOUS, cookie: hospital.cookie } })).body.includes(
        'steel-main-meter',
      ),
      false,
      'an owner reads only its own (the query is ignored for owners)',
    );
  }));

it('a lab records a calibration through the form: no conformity or verification type is sent for it', () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const lab = await signIn(app, await keyFor('lab', 'district-station'));
    const calibration = {
      _csrf: lab.csrf,
      kind: 'calibration',
      subjectId: 'scale-stall-42',
      certificateNo: 'XH-JZ2026-07200',
      performedOn: '2026-11-20',
      conformity: 'pass',
      verificationType: 'periodic',
      referenceIds: 'district-f1-set',
      nominal: '15',
      asFound: '15.004',
      unit: 'kg',
    };
    const res = await app.inject({ method: 'POST', url: '/app/record', ...form(lab.cookie, calibration) });
    assert.is(
      res.statusCode,
      303,
      res.body
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .slice(0, 1500),
    );
    const stored = (await app.inject({ method: 'GET', url: '/v1/calibrations?certificateNo=XH-JZ2026-07200' })).json().items[0];
    assert.equal([stored.kind, stored.conformity, stored.verificationType, stored.certificateKind], ['calibration', null, null, 'calibration_certificate']);
  }));

it('a page POST whose body is no form (a JSON string, number or array) is refused for its missing CSRF token, not a failure', () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const lab = await signIn(app, await keyFor('lab', 'district-station'));
    for (const url of ['/app/sign-in', '/app/record', '/app/import'])
      for (const payload of ['"NaN"', '7', '[1]', 'null']) {
        const res = await app.inject({ method: 'POST', url, headers: { ...ANONYMOUS, cookie: lab.cookie, 'content-type': 'application/json' }, payload });
        assert.is(res.statusCode, 403, `${url} ${payload}: ${res.statusCode}`);
        assert.match(res.body, /data-reason="csrf"/);
      }
  }));

it('an API problem is shown at the form field its pointer names', () => {
  assert.is(fieldOfPointer('/referenceIds/0'), 'referenceIds');
  assert.is(fieldOfPointer('/points/0/asFound'), 'asFound');
  assert.is(fieldOfPointer('/validUntil'), 'validUntil');
  assert.is(fieldOfPointer(''), null);
});

it.run();
