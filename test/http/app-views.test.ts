/**
 * The web pages added for issue #21 item 2 beyond the first set: a lab's
 * out-of-tolerance findings with their impact lists (and the form recording
 * one), an inspector's verification capacity plans, an owner's and an
 * auditor's past energy audits; and the lists' status worked out together,
 * the instrument history paged, the import templates served by one helper.
 * Each page shows what the API's use case answers, to the roles the API admits.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ANONYMOUS, rowCounts, TEST_TODAY, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';
import { signIn } from '../helpers/pages.ts';

const it = suite('web pages at /app: findings, plans, audits');

const form = (cookie: string, body: Record<string, string>) => ({
  headers: { ...ANONYMOUS, cookie, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(body).toString(),
});
/** The rows of a table's body. */
const bodyRows = (html: string, id: string) =>
  [...(new RegExp(`<table id="${id}">.*?<tbody>(.*?)</tbody>`, 's').exec(html)?.[1] ?? '').matchAll(/<tr[ >]/g)].length;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

for (const database of testDatabases())
  it(`a lab records an out-of-tolerance finding on its standard through the form, sees the API's problem at its field, and reads the finding's impact list (${database.name})`, () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const lab = await signIn(app, await keyFor('lab', 'district-station'));
      const get = (url: string, cookie = lab.cookie) => app.inject({ method: 'GET', url, headers: { ...ANONYMOUS, cookie } });
      const empty = await get('/app/findings?lang=en');
      assert.is(empty.statusCode, 200);
      assert.match(empty.body, /id="no-findings"/, 'none yet');
      assert.match(empty.body, /<select id="f-equipmentId" name="equipmentId"><option value="district-f1-set"/, 'the lab is offered its own standard');
      assert.not.match(empty.body, /value="city-e1-set"/, "another lab's standard is not offered");

      // the last known good day after the finding: refused at its field, nothing written
      const before = await rowCounts(db);
      const bad = await app.inject({
        method: 'POST',
        url: '/app/findings',
        ...form(lab.cookie, { _csrf: lab.csrf, equipmentId: 'district-f1-set', foundOn: '2026-07-01', lastKnownGood: '2026-08-01' }),
      });
      assert.is(bad.statusCode, 200, 'the form again, as a page');
      assert.match(
        bad.body,
        /data-field="lastKnownGood"><label[^>]*>[^<]*<\/label><input[^>]*value="2026-08-01"[^>]*><p class="error" id="err-lastKnownGood">INVALID_RANGE:/,
      );
      // a standard that is not the lab's: refused at the standard, as the API refuses it
      const foreign = await app.inject({
        method: 'POST',
        url: '/app/findings',
        ...form(lab.cookie, { _csrf: lab.csrf, equipmentId: 'city-e1-set', foundOn: '2026-07-01', lastKnownGood: '2025-12-31' }),
      });
      assert.match(foreign.body, /id="err-equipmentId">FORBIDDEN:/);
      assert.equal(await rowCounts(db), before, 'nothing written');

      const ok = await app.inject({
        method: 'POST',
        url: '/app/findings',
        ...form(lab.cookie, {
          _csrf: lab.csrf,
          equipmentId: 'district-f1-set',
          foundOn: '2026-07-01',
          lastKnownGood: '2025-12-31',
          remarks: '20 kg weight 35 mg heavy',
        }),
      });
      assert.is(ok.statusCode, 303, text(ok.body).slice(0, 800));
      const location = String(ok.headers.location);
      assert.match(location, /^\/app\/findings\/[^/?]+\?saved=1$/);
      const detail = await get(`${location}&lang=en`);
      assert.is(detail.statusCode, 200);
      assert.match(detail.body, /id="message"[^>]*>Finding [^<]+ recorded/);
      assert.match(detail.body, /<table id="impact">.*data-id="scale-stall-17"/s, 'the scales verified with the weight set since its last known good day');
      // the same list as GET /v1/equipment/{id}/dependents gives the lab's key
      const api = await app.inject({
        method: 'GET',
        url: '/v1/equipment/district-f1-set/dependents?since=2025-12-31',
        headers: { authorization: `Bearer ${await keyFor('lab', 'district-station')}` },
      });
      const ids = api.json().dependents.map((d: { equipmentId?: string; equipment?: { id: string }; id?: string }) => d.equipmentId ?? d.equipment?.id ?? d.id);
      assert.equal(
        [...detail.body.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]),
        ids,
      );
      const list = await get('/app/findings');
      assert.match(list.body, new RegExp(`<tr data-id="[^"]+" data-affected="${ids.length}">`), 'listed with the size of its impact list');

      // an owner does not record findings; an inspector reads the finding's impact list (its region), an owner outside it is refused the standard
      const owner = await signIn(app, await keyFor('owner', 'city-market'));
      assert.is((await get('/app/findings', owner.cookie)).statusCode, 403);
      assert.is(
        (
          await app.inject({
            method: 'POST',
            url: '/app/findings',
            ...form(owner.cookie, { _csrf: owner.csrf, equipmentId: 'district-f1-set', foundOn: '2026-07-01', lastKnownGood: '2025-12-31' }),
          })
        ).statusCode,
        403,
      );
      const inspector = await signIn(app, await keyFor('inspector', 'city-samr'));
      const seen = await get(location.split('?')[0]!, inspector.cookie);
      assert.is(seen.statusCode, 200);
      assert.match(seen.body, /<table id="impact">/);
      assert.is((await get('/app/findings/no-such-finding')).statusCode, 404);
      // a key that may not read the standard learns nothing of the finding, not even that it exists
      const hidden = await get(`${location.split('?')[0]!}?lang=en`, owner.cookie);
      const unknown = await get('/app/findings/no-such-finding?lang=en', owner.cookie);
      assert.equal([hidden.statusCode, unknown.statusCode], [404, 404]);
      assert.match(hidden.body, /data-code="NOT_FOUND"/);
    }));

it('a lab whose register runs past one page of the list still sees every standard and every finding on it (the page reads the register to its end)', () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const key = await keyFor('lab', 'district-station');
    // 1,000 working instruments whose ids sort before the lab's weight set, so the set is on the second page of its register
    const header = 'Id,Name,Asset code,Quantity,Range min,Range max,Range unit,Accuracy class,Level,Category,Usage';
    const lines = Array.from(
      { length: 1000 },
      (_, i) => `district-a-${String(i).padStart(4, '0')},台秤 ${i},DA-${i},mass,0.1,100,kg,III,working_instrument,MV016,trade_settlement`,
    );
    const file = Buffer.from(`${header}\n${lines.join('\n')}\n`).toString('base64');
    const imported = await app.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: { kind: 'equipment', format: 'csv', file },
    });
    assert.is(imported.statusCode, 201, imported.body.slice(0, 400));
    assert.is(imported.json().counts.created, 1000);
    const lab = await signIn(app, key);
    const saved = await app.inject({
      method: 'POST',
      url: '/app/findings',
      ...form(lab.cookie, { _csrf: lab.csrf, equipmentId: 'district-f1-set', foundOn: '2026-07-01', lastKnownGood: '2025-12-31' }),
    });
    assert.is(saved.statusCode, 303, text(saved.body).slice(0, 800));
    const list = await app.inject({ method: 'GET', url: '/app/findings?lang=en', headers: { ...ANONYMOUS, cookie: lab.cookie } });
    assert.match(list.body, /<option value="district-f1-set"/, 'the standard past the first page is offered');
    assert.is(bodyRows(list.body, 'findings'), 1, 'and its finding is listed');
  }));

it('an inspector makes a verification capacity plan through the form and reads it as the API stored it; other roles may not make one', () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const inspector = await signIn(app, await keyFor('inspector', 'city-samr'));
    const get = (url: string, cookie = inspector.cookie) => app.inject({ method: 'GET', url, headers: { ...ANONYMOUS, cookie } });
    const page = await get('/app/plans?lang=en');
    assert.is(page.statusCode, 200);
    assert.match(page.body, /<table id="capacities">.*district-station.*MV016/s, 'the declared capacities');
    const bad = await app.inject({ method: 'POST', url: '/app/plans', ...form(inspector.cookie, { _csrf: inspector.csrf, from: TEST_TODAY, months: '500' }) });
    assert.is(bad.statusCode, 200);
    assert.match(bad.body, /id="err-months">INVALID_FIELD:/);
    const outside = await app.inject({
      method: 'POST',
      url: '/app/plans',
      ...form(inspector.cookie, { _csrf: inspector.csrf, from: TEST_TODAY, months: '12', regionCode: '110000' }),
    });
    assert.match(outside.body, /id="err-regionCode">FORBIDDEN:/, "outside the regulator's region");
    const ok = await app.inject({ method: 'POST', url: '/app/plans', ...form(inspector.cookie, { _csrf: inspector.csrf, from: '2026-12-01', months: '12' }) });
    assert.is(ok.statusCode, 303, text(ok.body).slice(0, 800));
    const plan = await get(`${String(ok.headers.location)}?lang=en`);
    assert.is(plan.statusCode, 200);
    const id = String(ok.headers.location).split('/').pop()!;
    const api = (await app.inject({ method: 'GET', url: `/v1/verification-plans/${id}` })).json();
    const summary = api.summary as { due: number; late: number; unplaced: number };
    assert.match(plan.body, new RegExp(`<section id="plan" data-due="${summary.due}" data-late="${summary.late}" data-unplaced="${summary.unplaced}">`));
    assert.ok(summary.due > 0, 'something is due in the year');
    assert.is(bodyRows(plan.body, 'assignments'), api.assignments.length, 'every assignment listed');
    assert.match(plan.body, /<ol><li>verifications are taken by due date/, 'the method it was made by');
    const lab = await signIn(app, await keyFor('lab', 'district-station'));
    assert.is((await get('/app/plans', lab.cookie)).statusCode, 403, 'a lab does not plan the region’s verifications');
  }));

it('an owner reads its past energy audits on its energy page; an auditor lists the audits it may read; each opens its report', () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const auditor = await signIn(app, await keyFor('auditor', 'city-samr'));
    const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { ...ANONYMOUS, cookie } });
    assert.match((await get('/app/audits', auditor.cookie)).body, /id="no-audits"/);
    const run = await app.inject({
      method: 'POST',
      url: '/app/audits',
      ...form(auditor.cookie, { _csrf: auditor.csrf, organisationId: 'steel-works', at: TEST_TODAY }),
    });
    assert.is(run.statusCode, 303, text(run.body).slice(0, 500));
    const id = String(run.headers.location).split('/').pop()!;
    const verdict = (await app.inject({ method: 'GET', url: `/v1/energy-audits/${id}` })).json().verdict;
    const listed = await get('/app/audits?lang=en', auditor.cookie);
    assert.match(listed.body, new RegExp(`<tr data-id="${id}" data-verdict="${verdict}"><td><a href="/app/audits/${id}">`));
    const steel = await signIn(app, await keyFor('owner', 'steel-works'));
    const energyPage = await get('/app/energy?lang=en', steel.cookie);
    assert.match(energyPage.body, /<h2>Past audits<\/h2><table id="audits">/);
    assert.match(energyPage.body, new RegExp(`data-id="${id}"`));
    const report = await get(`/app/audits/${id}`, steel.cookie);
    assert.is(report.statusCode, 200);
    assert.match(report.body, /<a id="back" href="\/app\/energy">/, 'back to where the owner reads its audits');
    const market = await signIn(app, await keyFor('owner', 'city-market'));
    assert.not.match((await get('/app/energy', market.cookie)).body, new RegExp(id), "another owner's audits are not listed");
    assert.is((await get(`/app/audits/${id}`, market.cookie)).statusCode, 403);
  }));

it('an instrument page pages its history and says there is more; the list, search and standards pages show each status as the status use case gives it', () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const labKey = await keyFor('lab', 'district-station');
    const lab = await signIn(app, labKey);
    const get = (url: string, cookie = lab.cookie) => app.inject({ method: 'GET', url, headers: { ...ANONYMOUS, cookie } });
    // 201 records more of scale-stall-42: the first page holds 200 and links to the next, which holds the rest
    const prior = (
      await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-42/calibrations?limit=100', headers: { authorization: `Bearer ${labKey}` } })
    ).json();
    assert.is(prior.nextCursor, null);
    for (let i = 0; i < 201; i++) {
      const day = `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      const res = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        headers: { authorization: `Bearer ${labKey}` },
        payload: {
          kind: 'calibration',
          subjectId: 'scale-stall-42',
          labId: 'district-station',
          certificateNo: `PG-${String(i).padStart(3, '0')}`,
          performedOn: day,
          referenceIds: ['district-f1-set'],
          points: [{ nominal: '15', asFound: '15.001', unit: 'kg' }],
        },
      });
      assert.is(res.statusCode, 201, res.body);
    }
    const first = await get('/app/instruments/scale-stall-42?lang=en');
    const rows = (html: string) => bodyRows(html, 'history');
    assert.is(rows(first.body), 200);
    assert.match(first.body, /id="history-more">200 records a page, and there are more:/);
    const next = /id="history-next" href="([^"]+)"/.exec(first.body)![1]!.replace(/&amp;/g, '&');
    const second = await get(next);
    assert.is(second.statusCode, 200);
    assert.is(rows(first.body) + rows(second.body), prior.items.length + 201, 'the two pages hold every record');
    assert.not.match(second.body, /id="history-next"/);

    // each row's state is the one GET /v1/equipment/{id}/status gives
    const owner = await signIn(app, await keyFor('owner', 'city-market'));
    const list = (await get('/app/instruments', owner.cookie)).body;
    const shown = [...list.matchAll(/<tr data-id="([^"]+)" data-state="([^"]+)">/g)].map((m) => [m[1]!, m[2]!]);
    assert.ok(shown.length >= 3, list.slice(0, 300));
    for (const [id, state] of shown) {
      const status = (await app.inject({ method: 'GET', url: `/v1/equipment/${id}/status` })).json();
      assert.is(state, status.state ?? status.status?.state, id);
    }
    const inspector = await signIn(app, await keyFor('inspector', 'city-samr'));
    const moved = await app.inject({
      method: 'POST',
      url: '/v1/equipment/scale-stall-17/events',
      headers: { authorization: `Bearer ${await keyFor('owner', 'city-market')}` },
      payload: { kind: 'relocated', effectiveOn: '2026-11-12', location: '东区 3 号摊位' },
    });
    assert.is(moved.statusCode, 201, moved.body);
    const found = (await get(`/app/search?q=${encodeURIComponent('东区 3 号')}`, inspector.cookie)).body;
    assert.equal(
      [...found.matchAll(/<tr data-id="([^"]+)">/g)].map((m) => m[1]),
      ['scale-stall-17'],
      'found by where it is today',
    );
    const status17 = (await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17/status' })).json();
    assert.match(found, new RegExp(`data-state="${status17.state}"`), 'with its status');
  }));

it("a lot's history page: its facts and state, plans and decisions (a variables one with k, MPE, x̄, s, Q), OC curves and the CSV, in Chinese by default; read as the lot API is", () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const ownerKey = await keyFor('owner', 'city-market');
    const inspectorKey = await keyFor('inspector', 'city-samr');
    const api = async (method: 'GET' | 'POST', url: string, key: string, status: number, payload?: object) => {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
      assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 400)}`);
      return res.json();
    };
    await api('POST', '/v1/lots', ownerKey, 201, {
      id: 'wv-page',
      category: 'MV004',
      model: 'LXS-20E',
      manufacturer: '宁波水表',
      installedFrom: '2024-03-01',
      installedTo: '2024-03-28',
      region: '310104',
      registeredOn: '2026-01-05',
      members: { serialRanges: [{ prefix: 'VP', from: 1, to: 200, width: 6 }] },
    });
    const plan = await api('POST', '/v1/lots/wv-page/sampling-plans', inspectorKey, 201, {
      id: 'pv-page',
      plannedOn: '2026-11-02',
      seed: 'wv-page',
      aql: '1.0',
      method: 'variables',
      mpe: '2',
    });
    await api('POST', '/v1/lots/wv-page/sampling-plans/pv-page/results', inspectorKey, 201, {
      recordedOn: '2026-11-20',
      meters: plan.sample.map((m: { serial: string }, i: number) => ({
        serial: m.serial,
        points: [{ testPoint: 'Q2', error: i % 2 === 0 ? '1.9' : '-1.9', mpe: '2' }],
      })),
    });

    const owner = await signIn(app, ownerKey);
    const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { ...ANONYMOUS, cookie } });
    const page = await get('/app/lots/wv-page', owner.cookie);
    assert.is(page.statusCode, 200, text(page.body).slice(0, 400));
    // strict CSP: the page runs only the app's own script and style, nothing inline
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.not.match(page.body, /<script>|<style|style="|onload=|onclick=/);
    assert.match(page.body, /<html lang="zh-CN">/);
    assert.match(page.body, /<h1>批 wv-page（运行中计量器具）<\/h1>/);
    assert.match(page.body, /<p id="lot-state" data-state="to_rotate"><strong>2026-11-25 的状态: 到期轮换<\/strong>/);
    assert.match(page.body, /<th scope="row">批量<\/th><td>200<\/td>/);
    assert.match(page.body, /<tr data-id="pv-page" data-method="variables" data-decision="reject">/);
    // k, the MPE fixed with the plan, and the statistics to four places
    const row = /<tr data-id="pv-page"[^>]*>(.*?)<\/tr>/s.exec(page.body)![1]!;
    assert.match(row, /<td>1\.79<\/td><td>2<\/td><td>1\.0<\/td>/);
    assert.match(row, /<td>0\.1267 \/ 1\.9623 \/ 0\.9547 \/ 1\.0838<\/td>/);
    assert.is(bodyRows(page.body, 'lot-history'), 3, 'registered, plan drawn, decision');
    // the OC image and the CSV link open, in the session, as the page's language
    const img = /<img id="oc-pv-page" src="([^"]+)"/.exec(page.body)![1]!;
    const svg = await get(img, owner.cookie);
    assert.is(svg.statusCode, 200);
    assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
    assert.match(svg.body, /normal model, one limit/);
    const csvHref = /<a id="history-csv" href="([^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    assert.is(csvHref, '/app/lots/wv-page/history.csv?lang=zh&at=2026-11-25');
    const csv = await get(csvHref, owner.cookie);
    assert.is(csv.statusCode, 200);
    assert.is(csv.body.charCodeAt(0), 0xfeff);
    assert.match(csv.body, /日期,事件,事件名称/);
    assert.match(csv.body, /接收常数k/);
    // the English switch
    const en = await get('/app/lots/wv-page?lang=en', owner.cookie);
    assert.match(en.body, /<h1>Lot wv-page \(meters in service\)<\/h1>/);
    assert.match(en.body, /State on 2026-11-25: to rotate/);
    assert.match(en.body, /href="\/app\/lots\/wv-page\/history\.csv\?lang=en&amp;at=2026-11-25"/);
    // an earlier day: the lot as it was then
    assert.match((await get('/app/lots/wv-page?at=2026-11-10', owner.cookie)).body, /data-state="under_sampling"/);

    // read as the lot API: the regulator of its region may; another owner may not read the page, its curve or its CSV
    const inspector = await signIn(app, inspectorKey);
    assert.is((await get('/app/lots/wv-page', inspector.cookie)).statusCode, 200);
    const other = await signIn(app, await keyFor('owner', 'city-hospital'));
    for (const url of ['/app/lots/wv-page', img, csvHref]) assert.is((await get(url, other.cookie)).statusCode, 403, url);
    const missing = await get('/app/lots/nope', owner.cookie);
    assert.is(missing.statusCode, 404);
    assert.match(missing.body, /data-code="NOT_FOUND"/);
    assert.is((await get('/app/lots/wv-page/plans/nope/oc.svg', owner.cookie)).statusCode, 404);
    // without a session: to the sign-in page
    assert.is((await app.inject({ method: 'GET', url: '/app/lots/wv-page', headers: ANONYMOUS })).statusCode, 303);
  }));

it('the import templates are one helper: the API and the page answer the same bytes, and the same NOT_FOUND for what is no template', () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const owner = await signIn(app, await keyFor('owner', 'city-market'));
    const page = await app.inject({ method: 'GET', url: '/app/imports/templates/equipment.csv?lang=zh', headers: { ...ANONYMOUS, cookie: owner.cookie } });
    const api = await app.inject({ method: 'GET', url: '/v1/imports/templates/equipment.csv?lang=zh' });
    assert.is(page.statusCode, 200);
    assert.is(page.body, api.body);
    assert.is(page.headers['content-disposition'], api.headers['content-disposition']);
    for (const file of ['nothing.csv', 'equipment.pdf', 'toString.csv', 'equipment.csv.xlsx']) {
      const res = await app.inject({ method: 'GET', url: `/app/imports/templates/${file}`, headers: { ...ANONYMOUS, cookie: owner.cookie } });
      assert.is(res.statusCode, 404, file);
      assert.match(res.body, /data-code="NOT_FOUND"/);
    }
  }));

it.run();
