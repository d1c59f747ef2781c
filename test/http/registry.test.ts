import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO, NEW_SCALE, rowCounts, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const SCALE = NEW_SCALE;

const VERIFICATION = {
  kind: 'verification',
  subjectId: 'scale-stall-17',
  labId: 'district-station',
  referenceIds: ['district-f1-set'],
  certificateNo: 'XH-JD2026-09999',
  performedOn: '2026-11-20',
  validUntil: '2027-11-19',
  conformity: 'pass',
  points: [{ nominal: '15', asFound: '15.0050', expandedUncertainty: '0.00020', coverageFactor: '2', unit: 'kg' }],
};

for (const database of testDatabases()) {
  const it = suite(`registry API on ${database.name}`);

  it('GET /health names the database', () =>
    withApp(database, async ({ app }) => {
      const res = await app.inject({ method: 'GET', url: '/health' });
      assert.is(res.statusCode, 200);
      assert.equal(res.json(), { status: 'ok', database: database.name, version: 'test' });
    }));

  it('registers equipment and appends a verification, decimals kept as sent', () =>
    withApp(database, async ({ app }) => {
      const created = await app.inject({ method: 'POST', url: '/v1/equipment', payload: SCALE });
      assert.is(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      assert.is((await app.inject({ method: 'GET', url: `/v1/equipment/${id}` })).json().range.min, '0.04');

      const rec = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: { ...VERIFICATION, subjectId: id } });
      assert.is(rec.statusCode, 201, rec.body);
      const body = rec.json();
      assert.is(body.points[0].asFound, '15.0050');
      assert.is(body.points[0].expandedUncertainty, '0.00020');
      const history = await app.inject({ method: 'GET', url: `/v1/equipment/${id}/calibrations` });
      assert.equal(
        history.json().items.map((r: { id: string }) => r.id),
        [body.id],
      );
    }));

  it('a correction supersedes; the original stays, marked as superseded', () =>
    withApp(database, async ({ app }) => {
      const corr = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          ...VERIFICATION,
          id: 'rec-stall17-2026-r1',
          certificateNo: 'XH-JD2026-00317-R1',
          performedOn: '2026-03-12',
          validUntil: '2027-03-11',
          supersedes: 'rec-stall17-2026',
        },
      });
      assert.is(corr.statusCode, 201, corr.body);
      const original = (await app.inject({ method: 'GET', url: '/v1/calibrations/rec-stall17-2026' })).json();
      assert.is(original.supersededBy, 'rec-stall17-2026-r1');
      assert.is(original.certificateNo, 'XH-JD2026-00317');
      const again = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: { ...VERIFICATION, certificateNo: 'R2', supersedes: 'rec-stall17-2026' },
      });
      assert.is(again.statusCode, 409);
      assert.is(again.json().code, 'ALREADY_SUPERSEDED');
    }));

  const rejected: Array<[string, string, unknown, number, string, string]> = [
    ['a JSON number where a decimal is due', '/v1/equipment', { ...SCALE, range: { min: 0.04, max: '30', unit: 'kg' } }, 400, 'JSON_NUMBER', '/range/min'],
    ['a wrong type', '/v1/equipment', { ...SCALE, name: ['scale'] }, 400, 'INVALID_FIELD', '/name'],
    ['an unknown field', '/v1/equipment', { ...SCALE, colour: 'red' }, 400, 'UNKNOWN_FIELD', '/colour'],
    ['a missing field', '/v1/equipment', { ...SCALE, quantity: undefined }, 400, 'MISSING_FIELD', '/quantity'],
    ['a value outside the vocabulary', '/v1/equipment', { ...SCALE, level: 'best' }, 400, 'INVALID_FIELD', '/level'],
    ['a malformed decimal', '/v1/equipment', { ...SCALE, range: { min: '1,5', unit: 'kg' } }, 400, 'INVALID_DECIMAL', '/range/min'],
    ['an inverted range', '/v1/equipment', { ...SCALE, range: { min: '30', max: '1', unit: 'kg' } }, 400, 'INVALID_RANGE', '/range/min'],
    ['an unknown owner', '/v1/equipment', { ...SCALE, ownerId: 'nobody' }, 400, 'UNKNOWN_REFERENCE', '/ownerId'],
    ['a duplicate asset code', '/v1/equipment', { ...SCALE, assetCode: 'LH-17' }, 409, 'DUPLICATE', '/assetCode'],
    ['an impossible date', '/v1/calibrations', { ...VERIFICATION, performedOn: '2026-02-30' }, 400, 'INVALID_DATE', '/performedOn'],
    ['an unknown subject', '/v1/calibrations', { ...VERIFICATION, subjectId: 'nothing' }, 400, 'UNKNOWN_REFERENCE', '/subjectId'],
    [
      'an unknown reference standard',
      '/v1/calibrations',
      { ...VERIFICATION, referenceIds: ['district-f1-set', 'ghost'] },
      400,
      'UNKNOWN_REFERENCE',
      '/referenceIds/1',
    ],
    ['a working instrument as reference', '/v1/calibrations', { ...VERIFICATION, referenceIds: ['scale-stall-42'] }, 400, 'NOT_A_STANDARD', '/referenceIds/0'],
    [
      'a correction of another equipment',
      '/v1/calibrations',
      { ...VERIFICATION, supersedes: 'rec-stall42-2025' },
      400,
      'SUPERSEDES_OTHER_SUBJECT',
      '/supersedes',
    ],
    ['a verification without a decision', '/v1/calibrations', { ...VERIFICATION, conformity: undefined }, 400, 'INCONSISTENT_RECORD', '/conformity'],
    ['a record valid before it was made', '/v1/calibrations', { ...VERIFICATION, validUntil: '2026-01-01' }, 400, 'INVALID_RANGE', '/validUntil'],
    ['a record by an enterprise', '/v1/calibrations', { ...VERIFICATION, labId: 'city-market' }, 400, 'WRONG_ORGANISATION_KIND', '/labId'],
    [
      'a negative expanded uncertainty',
      '/v1/calibrations',
      { ...VERIFICATION, points: [{ nominal: '1', expandedUncertainty: '-0.1', coverageFactor: '2', unit: 'kg' }] },
      400,
      'NEGATIVE_UNCERTAINTY',
      '/points/0/expandedUncertainty',
    ],
    ['a duplicate certificate number', '/v1/calibrations', { ...VERIFICATION, certificateNo: 'XH-JD2025-00942' }, 409, 'DUPLICATE', '/certificateNo'],
    ['a region code as a number', '/v1/organisations', { name: 'X', kind: 'enterprise', regionCode: 310000 }, 400, 'INVALID_FIELD', '/regionCode'],
    [
      'a scope for an enterprise',
      '/v1/organisations/city-market/scopes',
      { quantity: 'mass', validFrom: '2026-01-01', validUntil: '2027-01-01' },
      400,
      'WRONG_ORGANISATION_KIND',
      '/labId',
    ],
  ];

  for (const [what, url, payload, status, code, path] of rejected) {
    it(`rejects ${what} with ${status} ${code} at ${path}, writing nothing`, () =>
      withApp(database, async ({ app, db }) => {
        const before = await rowCounts(db);
        const res = await app.inject({ method: 'POST', url, payload: payload as object });
        assert.is(res.statusCode, status, res.body);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        const body = res.json();
        assert.is(body.code, code, res.body);
        assert.is(body.path, path, res.body);
        assert.ok(body.detail.length > 10);
        assert.equal(await rowCounts(db), before);
      }));
  }

  it('rejects a body that is not JSON, and a request for nothing', () =>
    withApp(database, async ({ app }) => {
      const bad = await app.inject({ method: 'POST', url: '/v1/organisations', payload: '{"name":', headers: { 'content-type': 'application/json' } });
      assert.is(bad.statusCode, 400);
      assert.is(bad.json().code, 'INVALID_JSON');
      const missing = await app.inject({ method: 'GET', url: '/v1/equipment/no-such-thing' });
      assert.is(missing.statusCode, 404);
      assert.is(missing.json().code, 'NOT_FOUND');
      const typo = await app.inject({ method: 'GET', url: '/v1/equipment?quantitty=mass' });
      assert.is(typo.json().code, 'UNKNOWN_FIELD');
      assert.is(typo.json().path, '?quantitty');
      const cursor = await app.inject({ method: 'GET', url: '/v1/equipment?cursor=forged' });
      assert.is(cursor.json().code, 'INVALID_CURSOR');
    }));

  it('lists with filters and follows nextCursor to the end', () =>
    withApp(database, async ({ app }) => {
      const ids: string[] = [];
      let url = '/v1/equipment?level=working_instrument&limit=2';
      for (let i = 0; i < 100; i++) {
        const page = (await app.inject({ method: 'GET', url })).json();
        ids.push(...page.items.map((e: { id: string }) => e.id));
        if (page.nextCursor === null) break;
        url = `/v1/equipment?level=working_instrument&limit=2&cursor=${page.nextCursor}`;
      }
      const expected = (DEMO as { equipment: Array<{ id: string; level: string }> }).equipment
        .filter((e) => e.level === 'working_instrument')
        .map((e) => e.id)
        .sort();
      assert.equal(ids, expected);
      const labs = (await app.inject({ method: 'GET', url: '/v1/organisations?kind=legal_metrology_institute&region=310000' })).json();
      assert.equal(
        labs.items.map((o: { id: string }) => o.id),
        ['city-institute'],
      );
      const scopes = (await app.inject({ method: 'GET', url: '/v1/organisations/district-station/scopes' })).json();
      assert.is(scopes.items[0].range.max, '300');
    }));

  it.run();
}

const docs = suite('OpenAPI document');

docs('is OpenAPI 3 and documents every route with a summary and responses', () =>
  withApp(
    testDatabases()[0]!,
    async ({ app }) => {
      const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.match(doc.openapi, /^3\./);
      const documented = new Set<string>();
      for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { summary?: string; responses?: object }>>)) {
        for (const [method, op] of Object.entries(ops)) {
          assert.ok(op.summary, `${method} ${path} has a summary`);
          assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path} has responses`);
          documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
        }
      }
      for (const route of ['POST /v1/organisations', 'GET /v1/equipment/:id', 'POST /v1/calibrations', 'GET /v1/equipment/:id/calibrations', 'GET /health']) {
        assert.ok(documented.has(route), `${route} is documented`);
      }
      assert.ok(doc.components.schemas.Problem, 'the Problem schema is a component');
    },
    { demo: false },
  ),
);

docs.run();

for (const database of testDatabases()) {
  const cmc = suite(`calibration and measurement capabilities on ${database.name}`);

  cmc('a record claiming a smaller uncertainty than the lab’s CMC is refused, naming the point; one within it lands', () =>
    withApp(database, async ({ app, db }) => {
      // city-institute's CMC for mass 0.01 kg … 2 kg: U = 0.000050 kg (k = 2)
      const declared = await app.inject({
        method: 'POST',
        url: '/v1/organisations/city-institute/cmcs',
        payload: {
          id: 'cmc-city-mass',
          quantity: 'mass',
          range: { min: '0.01', max: '2', unit: 'kg' },
          expandedUncertainty: '0.000050',
          coverageFactor: '2',
          validFrom: '2021-06-01',
          validUntil: '2027-05-31',
        },
      });
      assert.is(declared.statusCode, 201, declared.body);
      const record = (U: string, cert: string) => ({
        kind: 'calibration',
        subjectId: 'lab-balance-07',
        labId: 'city-institute',
        referenceIds: ['city-e1-set'],
        certificateNo: cert,
        performedOn: '2026-01-20',
        validUntil: '2027-01-19',
        points: [
          { nominal: '1', asFound: '1.0002', expandedUncertainty: U, coverageFactor: '2', unit: 'kg' },
          { nominal: '5', asFound: '5.001', expandedUncertainty: '0.0000001', coverageFactor: '2', unit: 'kg' },
        ],
      });
      const before = await rowCounts(db);
      const bad = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: record('0.000040', 'SIMT-ZL2026-0999') });
      assert.equal([bad.statusCode, bad.json().code, bad.json().path], [400, 'CMC_VIOLATION', '/points/0/expandedUncertainty']);
      assert.match(bad.json().detail, /smaller than the lab's CMC cmc-city-mass/);
      // the same claim written in grams meets the CMC in kilograms all the same
      const inGrams = {
        ...record('0.040', 'SIMT-ZL2026-0998'),
        points: [{ nominal: '1000', asFound: '1000.2', expandedUncertainty: '0.040', coverageFactor: '2', unit: 'g' }],
      };
      const grams = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: inGrams });
      assert.equal([grams.statusCode, grams.json().code], [400, 'CMC_VIOLATION'], grams.body);
      assert.equal(await rowCounts(db), before);
      const ok = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: record('0.000050', 'SIMT-ZL2026-1000') });
      assert.is(ok.statusCode, 201, 'equal to the CMC is allowed; the 5 kg point lies outside every CMC and is not checked');
      const both = await app.inject({
        method: 'POST',
        url: '/v1/organisations/city-institute/cmcs',
        payload: {
          quantity: 'mass',
          range: { unit: 'kg' },
          expandedUncertainty: '1',
          relativeExpandedUncertainty: '0.1',
          coverageFactor: '2',
          validFrom: '2021-06-01',
          validUntil: '2027-05-31',
        },
      });
      assert.equal([both.statusCode, both.json().code], [400, 'AMBIGUOUS_QUANTITY_FORM']);
      const list = (await app.inject({ method: 'GET', url: '/v1/organisations/city-institute/cmcs' })).json();
      assert.equal(
        list.items.map((c: { id: string; expandedUncertainty: string }) => [c.id, c.expandedUncertainty]),
        [['cmc-city-mass', '0.000050']],
      );
    }),
  );

  cmc.run();
}

for (const database of testDatabases()) {
  const rule = suite(`verifications under a decision rule on ${database.name}`);

  rule('the stated conformity must be the one the rule gives; the decisions carry their specific risk', () =>
    withApp(database, async ({ app, db }) => {
      // lab-balance-07: MPE 0.002 kg. At nominal 1 kg, as found 1.0017 with U = 0.0006 (k = 2):
      // simple acceptance passes (|e| = 0.0017 ≤ 0.002); guard band w = U accepts only |e| ≤ 0.0014: conditional pass
      const verification = (id: string, cert: string, conformity: string, rule: unknown) => ({
        id,
        kind: 'verification',
        subjectId: 'lab-balance-07',
        labId: 'city-institute',
        referenceIds: ['city-e1-set'],
        certificateNo: cert,
        performedOn: '2026-02-10',
        validUntil: conformity === 'fail' ? null : '2027-02-09',
        conformity,
        decisionRule: rule,
        points: [{ nominal: '1', asFound: '1.0017', expandedUncertainty: '0.0006', coverageFactor: '2', unit: 'kg' }],
      });
      const before = await rowCounts(db);
      const bad = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: verification('v-bad', 'SIMT-JD2026-7001', 'fail', { kind: 'simple' }) });
      assert.equal([bad.statusCode, bad.json().code, bad.json().path], [400, 'INCONSISTENT_RECORD', '/conformity']);
      assert.match(bad.json().detail, /gives 'pass' \(every point is accepted\)/);
      const noMpe = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: { ...verification('v-x', 'SIMT-JD2026-7002', 'pass', { kind: 'simple' }), subjectId: 'scale-stall-17' },
      });
      assert.equal([noMpe.statusCode, noMpe.json().path], [400, '/decisionRule']);
      assert.equal(await rowCounts(db), before);
      // a point in the guard band is not accepted: the verification cannot be stored as a pass (it could before)
      const inBand = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: verification('v-gb', 'SIMT-JD2026-7003', 'pass', { kind: 'guard_band' }),
      });
      assert.equal([inBand.statusCode, inBand.json().code, inBand.json().path], [400, 'INCONSISTENT_RECORD', '/conformity']);
      assert.match(inBand.json().detail, /gives 'fail' \(point 0 is conditional pass\)/);
      assert.equal(await rowCounts(db), before);
      const ok = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: verification('v-gb', 'SIMT-JD2026-7003', 'fail', { kind: 'guard_band' }),
      });
      assert.is(ok.statusCode, 201, ok.body);
      assert.equal(ok.json().decisionRule, { kind: 'guard_band', r: '1' });
      const c = (await app.inject({ method: 'GET', url: '/v1/calibrations/v-gb/conformity' })).json();
      assert.match(c.rule, /guard band w = U/);
      assert.equal([c.points[0].decision, c.points[0].accepted, c.points[0].specificRisk.kind], ['conditional_pass', false, 'false_reject']);
      assert.equal(c.points[0].acceptanceLimits, { lower: '0.9986', upper: '1.0014' });
      // P(true error ≤ 0.002) with e = 0.0017, u = 0.0003: Φ(1) − Φ(−12.33) = 0.841344…
      assert.is(c.points[0].specificRisk.probability.slice(0, 7), '0.84134');
      const stored = (await app.inject({ method: 'GET', url: '/v1/calibrations/v-gb' })).json();
      assert.equal(stored.decisionRule, { kind: 'guard_band', r: '1' });
      const none = await app.inject({ method: 'GET', url: '/v1/calibrations/rec-stall17-2026/conformity' });
      assert.equal([none.statusCode, none.json().code], [422, 'NOT_APPLICABLE']);
    }),
  );

  rule.run();
}
