/**
 * As recorded then, or as known now (issue #18, part 5): a status, a label, a
 * chain and a due list at a date are given as the registry knows them now, or, with
 * `asKnownAt=`, exactly as it gave them at an earlier moment — before a later
 * out-of-tolerance finding, say. Records, findings and events are append-only,
 * so the earlier answer is a filter by when they were written. On a database
 * of its own (each request its own transaction, so each write its own time).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'drizzle-orm';
import { openDb } from '../../src/persistence/db.ts';
import { rowsOf } from '../../src/persistence/db.ts';
import { liveApp, recordPayload } from '../helpers/fresh.ts';

const it = suite('as known at a moment (#18, part 5) on pglite');

it('a status, a label and a chain as given before a later finding, and as known now; each answer says which reading it is', async () => {
  const database = await openDb({});
  const live = await liveApp(database);
  try {
    const { app, adminKey } = live;
    const get = async (url: string, key: string | null = adminKey) => {
      const res = await app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} });
      assert.is(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
      return res.json();
    };
    const now = async () =>
      rowsOf<{ t: string }>(await database.db.execute(sql`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t`))[0]!.t;
    const status = (q = '') => get(`/v1/equipment/scale-stall-17/status?at=2026-11-25${q}`);
    assert.equal([(await status()).state, (await status()).asKnownAt], ['in_force', null]);
    const before = await now();
    await new Promise((r) => setTimeout(r, 20));

    // the district station's F1 set is found out of tolerance, good last on 2025-12-31
    const res = await app.inject({
      method: 'POST',
      url: '/v1/equipment/district-f1-set/out-of-tolerance',
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { foundOn: '2026-11-10', lastKnownGood: '2025-12-31', remarks: '20 kg piece 35 mg heavy' },
    });
    assert.is(res.statusCode, 201, res.body);

    // as known now: suspect; as known before the finding: in force, as it was shown then
    assert.is((await status()).state, 'suspect');
    const then = await status(`&asKnownAt=${encodeURIComponent(before)}`);
    assert.equal([then.state, then.usable, then.asKnownAt], ['in_force', true, new Date(before).toISOString()]);
    // the same instant written with an offset is the same reading
    const local = new Date(Date.parse(before) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    assert.is((await status(`&asKnownAt=${encodeURIComponent(local)}`)).state, 'in_force');

    const label = (q = '') => get(`/v1/label?certificateNo=XH-JD2026-00317&at=2026-11-25${q}`, null);
    assert.equal([(await label()).state, (await label()).asKnownAt], ['suspect', null]);
    assert.equal(
      [(await label(`&asKnownAt=${encodeURIComponent(before)}`)).state, (await label(`&asKnownAt=${encodeURIComponent(before)}`)).usable],
      ['in_force', true],
    );

    const trace = (q = '') => get(`/v1/equipment/scale-stall-17/traceability?at=2026-11-25${q}`);
    const chainNow = await trace();
    assert.equal([chainNow.traceable, chainNow.findings.map((f: { code: string }) => f.code)], [false, ['OUT_OF_TOLERANCE']]);
    const chainThen = await trace(`&asKnownAt=${encodeURIComponent(before)}`);
    assert.equal([chainThen.traceable, chainThen.findings, chainThen.asKnownAt], [true, [], new Date(before).toISOString()]);

    // the due list: the suspect scale is due now; as known before the finding it was not yet
    const due = async (q = '') =>
      (await get(`/v1/due?from=2026-11-25&to=2026-12-31&category=MV016${q}`)).items.map(
        (i: { equipmentId: string; state: string }) => `${i.equipmentId}:${i.state}`,
      );
    const dueNow = await due();
    assert.ok(dueNow.includes('scale-stall-17:suspect'), dueNow.join());
    const dueThen = await due(`&asKnownAt=${encodeURIComponent(before)}`);
    assert.not.ok(
      dueThen.some((x: string) => x.startsWith('scale-stall-17:')),
      dueThen.join(),
    );
    assert.equal(
      dueThen,
      dueNow.filter((x: string) => !x.startsWith('scale-stall-17:')),
      'the finding changed nothing else',
    );
    // worked out one by one as known a moment ago, the list is the one the bulk query gives now
    const after = await now();
    assert.equal(await due(`&asKnownAt=${encodeURIComponent(after)}`), dueNow);
    assert.is((await get(`/v1/due?from=2026-11-25&to=2026-12-31&asKnownAt=${encodeURIComponent(after)}`)).asKnownAt, new Date(after).toISOString());

    // a malformed instant is refused, naming the parameter
    const bad = await app.inject({
      method: 'GET',
      url: '/v1/equipment/scale-stall-17/status?asKnownAt=yesterday',
      headers: { authorization: `Bearer ${adminKey}` },
    });
    assert.equal([bad.statusCode, bad.json().path], [400, '?asKnownAt']);
  } finally {
    await live.close();
    await database.close();
  }
});

it('looked up by a number written after the moment asked about: nothing was numbered so then, though the instrument was known', async () => {
  const database = await openDb({});
  const live = await liveApp(database);
  try {
    const { app, adminKey } = live;
    const before = rowsOf<{ t: string }>(
      await database.db.execute(sql`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t`),
    )[0]!.t;
    await new Promise((r) => setTimeout(r, 20));
    const written = await app.inject({
      method: 'POST',
      url: '/v1/calibrations',
      headers: { authorization: `Bearer ${adminKey}` },
      payload: recordPayload('later-one', 'scale-stall-17'),
    });
    assert.is(written.statusCode, 201, written.body);
    const label = (q: string) => app.inject({ method: 'GET', url: `/v1/label?certificateNo=${encodeURIComponent(written.json().certificateNo)}${q}` });
    assert.is((await label('')).statusCode, 200);
    const then = await label(`&asKnownAt=${encodeURIComponent(before)}`);
    assert.equal([then.statusCode, then.json().code, then.json().path], [404, 'NOT_FOUND', '?certificateNo'], then.body);
    // the instrument's own certificate of then is still found as it was
    const known = await app.inject({ method: 'GET', url: `/v1/label?certificateNo=XH-JD2026-00317&asKnownAt=${encodeURIComponent(before)}` });
    assert.equal([known.statusCode, known.json().asked.standing], [200, 'current']);
  } finally {
    await live.close();
    await database.close();
  }
});

it.run();
