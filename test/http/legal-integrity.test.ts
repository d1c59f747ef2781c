/**
 * The ten observations of issue #15, each as it was seen: what the law
 * refuses is refused (nothing stored, the ledger unchanged), and the status
 * and the public label never claim more than the evidence supports. On PGlite
 * and (with DATABASE_URL) PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../src/core/numeric/decimal.ts';
import type { Db } from '../../src/persistence/db.ts';
import { ANONYMOUS, rowCounts, withApp } from '../helpers/app.ts';
import { countOf, testDatabases } from '../helpers/db.ts';

/** Row counts of every registry table and the ledger's length: what a refused request must leave as it was. */
async function state(db: Db): Promise<unknown> {
  return { rows: await rowCounts(db), ledger: await countOf(db, 'select count(*)::int as n from ledger') };
}

/** Posts, expects a refusal with this code and path, and proves nothing was written. */
async function refused(
  app: FastifyInstance,
  db: Db,
  url: string,
  payload: object,
  code: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const before = await state(db);
  const res = await app.inject({ method: 'POST', url, payload, headers });
  const body = res.json();
  assert.equal([body.code, body.path], [code, path], res.body);
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, res.body);
  assert.equal(await state(db), before, 'a refused request writes nothing, not even a ledger entry');
  return body.detail as string;
}

async function created(app: FastifyInstance, url: string, payload: object, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await app.inject({ method: 'POST', url, payload, headers });
  assert.is(res.statusCode, 201, res.body);
  return res.json();
}

const verification = (over: Record<string, unknown>) => ({
  kind: 'verification',
  subjectId: 'scale-stall-17',
  labId: 'district-station',
  referenceIds: ['district-f1-set'],
  certificateNo: `T-${Math.random().toString(36).slice(2, 10)}`,
  performedOn: '2026-11-20',
  validUntil: '2027-11-19',
  conformity: 'pass',
  ...over,
});

for (const database of testDatabases()) {
  const it = suite(`legal integrity (#15) on ${database.name}`);

  it('1. a lab without mandatory-verification authority cannot verify a mandatory instrument; coverage is unit-aware', () =>
    withApp(database, async ({ app, db }) => {
      // acme-cal's scope covers electrical energy but says mandatoryVerification: false; the home meter is MV002, trade
      const detail = await refused(
        app,
        db,
        '/v1/calibrations',
        verification({ subjectId: 'meter-home-0815', labId: 'acme-cal', referenceIds: ['grid-portable-std'] }),
        'LAB_NOT_AUTHORISED',
        '/labId',
      );
      assert.match(detail, /none of its scopes valid that day allows mandatory verification/);
      // a calibration by the same lab is not a verification: recorded (the chain then says what it is worth)
      await created(app, '/v1/calibrations', {
        ...verification({ subjectId: 'meter-home-0815', labId: 'acme-cal', referenceIds: ['grid-portable-std'] }),
        kind: 'calibration',
        conformity: null,
        points: [{ nominal: '1', asFound: '1.0004', unit: '1' }],
      });
      // units: a scope of 0–50 m³ covers a meter of 0–20,000 L (20 m³), not one of 0–60,000 L, and a scope in kg covers neither
      await created(app, '/v1/organisations', { id: 'water-station', name: 'Water meter station', kind: 'legal_metrology_institute', regionCode: '310104' });
      await created(app, '/v1/organisations/water-station/scopes', {
        id: 'ws-m3',
        quantity: 'volume',
        category: 'MV004',
        range: { min: '0', max: '50', unit: 'm3' },
        mandatoryVerification: true,
        validFrom: '2024-01-01',
        validUntil: '2028-12-31',
      });
      const meter = (id: string, max: string) =>
        created(app, '/v1/equipment', {
          id,
          ownerId: 'city-market',
          name: id,
          quantity: 'volume',
          range: { min: '0', max, unit: 'L' },
          accuracy: { kind: 'class', accuracyClass: '2' },
          level: 'working_instrument',
          category: 'MV004',
          usage: 'trade_settlement',
        });
      await meter('wm-20m3', '20000');
      await meter('wm-60m3', '60000');
      const wm = (subjectId: string) =>
        verification({
          subjectId,
          labId: 'water-station',
          referenceIds: [],
          externalReferences: ['station test bench TB-7 (certificate TB-7-2026)'],
          performedOn: '2026-06-01',
          validUntil: '2032-05-31',
        });
      await created(app, '/v1/calibrations', wm('wm-20m3'));
      const st = (await app.inject({ method: 'GET', url: '/v1/equipment/wm-20m3/status?at=2026-11-25' })).json();
      assert.equal([st.state, st.usable, st.traceability.traceable], ['in_force', true, true], 'a bench outside the registry is a note, not a doubt');
      // a mandatory verification names the standards it used
      await refused(app, db, '/v1/calibrations', { ...wm('wm-20m3'), externalReferences: [] }, 'MISSING_FIELD', '/referenceIds');
      await refused(app, db, '/v1/calibrations', wm('wm-60m3'), 'LAB_NOT_AUTHORISED', '/labId');
      await created(app, '/v1/organisations', { id: 'mass-station', name: 'Mass station', kind: 'legal_metrology_institute', regionCode: '310104' });
      await created(app, '/v1/organisations/mass-station/scopes', {
        quantity: 'volume',
        category: 'MV004',
        range: { min: '0', max: '50000', unit: 'kg' },
        mandatoryVerification: true,
        validFrom: '2024-01-01',
        validUntil: '2028-12-31',
      });
      await refused(app, db, '/v1/calibrations', { ...wm('wm-20m3'), labId: 'mass-station' }, 'LAB_NOT_AUTHORISED', '/labId');
    }));

  it('1b. a lab authorised for the instrument verifies it with a standard it neither owns nor calibrated: its own scopes authorise it', () =>
    withApp(database, async ({ app, db }) => {
      await created(app, '/v1/organisations', { id: 'mass-verifier', name: 'Mass verifier', kind: 'legal_metrology_institute', regionCode: '310104' });
      await created(app, '/v1/organisations/mass-verifier/scopes', {
        quantity: 'mass',
        category: 'MV016',
        mandatoryVerification: true,
        validFrom: '2024-01-01',
        validUntil: '2028-12-31',
      });
      // district-f1-set is district-station's, and no record of mass-verifier is in its chain
      const r = await created(app, '/v1/calibrations', verification({ labId: 'mass-verifier' }));
      assert.is(r.labId, 'mass-verifier');
      // a lab without such a scope is still refused, before and after the chain is looked at
      await created(app, '/v1/organisations', { id: 'length-verifier', name: 'Length verifier', kind: 'legal_metrology_institute', regionCode: '310104' });
      await created(app, '/v1/organisations/length-verifier/scopes', {
        quantity: 'length',
        mandatoryVerification: true,
        validFrom: '2024-01-01',
        validUntil: '2028-12-31',
      });
      await refused(app, db, '/v1/calibrations', verification({ labId: 'length-verifier' }), 'LAB_NOT_AUTHORISED', '/labId');
    }));

  it('2. a point in the guard band is not accepted, under guard band and max PFA; such a verification is a fail', () =>
    withApp(database, async ({ app }) => {
      const decide = async (rule: object) =>
        (
          await app.inject({
            method: 'POST',
            url: '/v1/conformity/decisions',
            payload: { rule, tolerance: { lower: '-1.0', upper: '1.0' }, points: [{ value: '0.8', expandedUncertainty: '0.30', coverageFactor: '2' }] },
          })
        ).json().decisions[0];
      const gb = await decide({ kind: 'guard_band' });
      assert.equal([gb.accepted, gb.acceptanceLimits], [false, { lower: '-0.7', upper: '0.7' }]);
      const pfa = await decide({ kind: 'max_pfa', pfa: '0.025' });
      assert.equal([pfa.accepted, pfa.specificRisk.kind], [false, 'false_reject']);
      assert.ok(new Decimal(pfa.acceptanceLimits.upper).lessThan('0.8'), "the rule's own acceptance limit lies inside 0.8");
      // P(conforming) = 1 − 0.0912112: the 9.1 % false-accept risk is no longer taken
      assert.is(pfa.probabilityConforming.slice(0, 8), '0.908788');
    }));

  it('3. one certificate, one number: case, spaces and full-width forms are the same number everywhere', () =>
    withApp(database, async ({ app, db }) => {
      for (const twin of ['xh-jd2026-00317', ' XH-JD2026-00317 ', 'ＸＨ－ＪＤ２０２６－００３１７', 'XH-JD 2026-00317']) {
        const detail = await refused(
          app,
          db,
          '/v1/calibrations',
          verification({ certificateNo: twin, conformity: 'fail', validUntil: null }),
          'DUPLICATE',
          '/certificateNo',
        );
        assert.match(detail, /already recorded as 'XH-JD2026-00317' \(record 'rec-stall17-2026'/);
      }
      // another lab is told the number is taken, and nothing of the record that holds it
      const other = await refused(
        app,
        db,
        '/v1/calibrations',
        {
          ...verification({ subjectId: 'meter-home-0815', labId: 'acme-cal', referenceIds: ['grid-portable-std'], certificateNo: 'xh-jd2026-00317' }),
          kind: 'calibration',
          conformity: null,
          points: [{ nominal: '1', asFound: '1.0004', unit: '1' }],
        },
        'DUPLICATE',
        '/certificateNo',
      );
      assert.match(other, /already recorded by another lab/);
      assert.not.match(other, /rec-stall17-2026|scale-stall-17/);
      for (const typed of [' xh-jd2026-00317 ', 'ＸＨ－ＪＤ２０２６－００３１７']) {
        const q = encodeURIComponent(typed);
        const status = await app.inject({ method: 'GET', url: `/v1/status?certificateNo=${q}&at=2026-11-25` });
        assert.equal([status.statusCode, status.json().equipmentId], [200, 'scale-stall-17'], status.body);
        const label = await app.inject({ method: 'GET', url: `/v1/label?certificateNo=${q}&at=2026-11-25`, headers: ANONYMOUS });
        assert.equal([label.statusCode, label.json().certificateNo], [200, 'XH-JD2026-00317'], label.body);
        const page = await app.inject({ method: 'GET', url: `/lookup?q=${q}`, headers: ANONYMOUS });
        assert.match(page.body, /data-state="in_force"/);
        assert.match(page.body, /XH-JD2026-00317/);
      }
      // asset codes too, per owner
      await refused(
        app,
        db,
        '/v1/equipment',
        {
          id: 'twin-17',
          ownerId: 'city-market',
          name: 'twin',
          assetCode: 'lh-17',
          quantity: 'mass',
          range: { min: '0', max: '30', unit: 'kg' },
          accuracy: { kind: 'class', accuracyClass: 'III' },
          level: 'working_instrument',
          category: 'MV016',
          usage: 'trade_settlement',
        },
        'DUPLICATE',
        '/assetCode',
      );
    }));

  it('4. references must be usable on the day; a later out-of-tolerance finding makes the verifications behind it suspect', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      // grid-portable-std had no certificate in force between 2024-04-09 and 2026-04-08
      let detail = await refused(
        app,
        db,
        '/v1/calibrations',
        verification({
          subjectId: 'meter-home-0815',
          labId: 'city-institute',
          referenceIds: ['grid-portable-std'],
          performedOn: '2025-01-15',
          validUntil: '2033-01-14',
        }),
        'REFERENCE_NOT_VALID',
        '/referenceIds/0',
      );
      assert.match(detail, /CERTIFICATE_EXPIRED/);
      // a standard whose certificate and assessment both expired that day: both said
      await created(app, '/v1/equipment', {
        id: 'old-set',
        ownerId: 'district-station',
        name: 'old F1 set',
        quantity: 'mass',
        range: { min: '0.001', max: '20', unit: 'kg' },
        accuracy: { kind: 'class', accuracyClass: 'F1' },
        level: 'working_standard',
        assessment: { certificateNo: 'OLD-1', validFrom: '2020-01-01', validUntil: '2025-12-31' },
      });
      await created(
        app,
        '/v1/calibrations',
        verification({ subjectId: 'old-set', labId: 'city-institute', referenceIds: ['city-e1-set'], performedOn: '2025-01-10', validUntil: '2025-12-31' }),
      );
      detail = await refused(
        app,
        db,
        '/v1/calibrations',
        verification({ performedOn: '2026-01-05', validUntil: '2027-01-04', referenceIds: ['old-set'] }),
        'REFERENCE_NOT_VALID',
        '/referenceIds/0',
      );
      assert.match(detail, /CERTIFICATE_EXPIRED[\s\S]*ASSESSMENT_EXPIRED|ASSESSMENT_EXPIRED[\s\S]*CERTIFICATE_EXPIRED/);
      // a standard first calibrated only after the verification date
      await created(app, '/v1/equipment', {
        id: 'new-set',
        ownerId: 'district-station',
        name: 'new F1 set',
        quantity: 'mass',
        range: { min: '0.001', max: '20', unit: 'kg' },
        accuracy: { kind: 'class', accuracyClass: 'F1' },
        level: 'working_standard',
        assessment: { certificateNo: 'NEW-1', validFrom: '2026-01-01', validUntil: '2030-12-31' },
      });
      await created(
        app,
        '/v1/calibrations',
        verification({ subjectId: 'new-set', labId: 'city-institute', referenceIds: ['city-e1-set'], performedOn: '2026-06-01', validUntil: '2027-05-31' }),
      );
      detail = await refused(
        app,
        db,
        '/v1/calibrations',
        verification({ performedOn: '2026-05-20', validUntil: '2027-05-19', referenceIds: ['new-set'] }),
        'REFERENCE_NOT_VALID',
        '/referenceIds/0',
      );
      assert.match(detail, /NO_RECORD_IN_FORCE/);
      // before the finding: usable
      const label = async () => (await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-00317&at=2026-11-25', headers: ANONYMOUS })).json();
      assert.equal([(await label()).state, (await label()).usable], ['in_force', true]);
      // the lab's own intermediate check (期间核查) finds its working standard out of tolerance, good last on
      // 2025-12-31; another lab may not record findings on it
      const oot = { foundOn: '2026-11-10', lastKnownGood: '2025-12-31', remarks: '20 kg piece 35 mg heavy' };
      await refused(app, db, '/v1/equipment/district-f1-set/out-of-tolerance', oot, 'FORBIDDEN', '', {
        authorization: `Bearer ${await keyFor('lab', 'acme-cal')}`,
      });
      await created(app, '/v1/equipment/district-f1-set/out-of-tolerance', oot, { authorization: `Bearer ${await keyFor('lab', 'district-station')}` });
      const after = await label();
      assert.equal([after.state, after.usable], ['suspect', false]);
      assert.match(after.verdict.zh, /事后被发现超差.*须重新检定/);
      assert.not.match(after.verdict.zh, /可以使用/);
      // the inspector's work list says so too, due now although its certificate runs to 2027-03-11
      const due = (await app.inject({ method: 'GET', url: '/v1/due?from=2026-11-25&to=2026-12-31' })).json();
      const row = due.items.find((i: { equipmentId: string }) => i.equipmentId === 'scale-stall-17');
      assert.equal(
        [row?.state, row?.dueOn],
        ['suspect', '2027-03-11'],
        JSON.stringify(due.items.map((i: { equipmentId: string; state: string }) => [i.equipmentId, i.state])),
      );
      const status = (await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17/status?at=2026-11-25' })).json();
      assert.equal(
        [status.state, status.usable, status.suspectBecause.map((f: { code: string; equipmentId: string }) => `${f.code}@${f.equipmentId}`)],
        ['suspect', false, ['OUT_OF_TOLERANCE@district-f1-set']],
      );
      // the standard cannot be used again until it is recalibrated
      detail = await refused(app, db, '/v1/calibrations', verification({}), 'REFERENCE_NOT_VALID', '/referenceIds/0');
      assert.match(detail, /OUT_OF_TOLERANCE/);
      // the lab withdraws the doubtful result as failed (a correction that claims nothing)
      await created(
        app,
        '/v1/calibrations',
        verification({
          id: 'withdrawn-17',
          certificateNo: 'XH-JD2026-00317-W',
          performedOn: '2026-03-12',
          validUntil: null,
          conformity: 'fail',
          supersedes: 'rec-stall17-2026',
        }),
      );
      assert.equal((await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17/status?at=2026-11-25' })).json().state, 'failed');
      // recalibrated on 2026-11-15, after the finding: usable again from then on
      await created(
        app,
        '/v1/calibrations',
        verification({
          subjectId: 'district-f1-set',
          labId: 'city-institute',
          referenceIds: ['city-e1-set'],
          certificateNo: 'SIMT-JD2026-1115',
          performedOn: '2026-11-15',
          validUntil: '2027-11-14',
          points: [{ nominal: '20', asFound: '20.000011', expandedUncertainty: '0.000034', coverageFactor: '2', unit: 'kg' }],
        }),
      );
      await created(app, '/v1/calibrations', verification({}));
    }));

  it('5. nothing that has happened is dated after today', () =>
    withApp(database, async ({ app, db }) => {
      await refused(app, db, '/v1/calibrations', verification({ performedOn: '2027-03-15', validUntil: '2028-03-14' }), 'DATE_IN_FUTURE', '/performedOn');
      await refused(
        app,
        db,
        '/v1/equipment/district-f1-set/out-of-tolerance',
        { foundOn: '2027-01-05', lastKnownGood: '2026-06-01' },
        'DATE_IN_FUTURE',
        '/foundOn',
      );
    }));

  it('6. a lapsed verification is never shown as valid, grace or not; the label says what the status says', () =>
    withApp(database, async ({ app }) => {
      // stall 42 was due by 2026-10-19; the local policy gives 15 days of grace
      const status = (await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-42/status?at=2026-10-25' })).json();
      assert.equal([status.state, status.usable, status.daysToDue, status.graceEndsOn], ['expired_in_grace', false, -6, '2026-11-03']);
      const label = (await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2025-00942&at=2026-10-25', headers: ANONYMOUS })).json();
      assert.equal([label.state, label.usable], ['expired_in_grace', false]);
      assert.not.match(label.verdict.zh, /可以使用|-6/);
      assert.match(label.verdict.zh, /不得使用/);
      assert.not.match(label.verdict.en, /may be used|-6/);
      const page = (await app.inject({ method: 'GET', url: '/lookup?q=XH-JD2025-00942&lang=zh', headers: ANONYMOUS })).body;
      assert.match(page, /不得使用/);
    }));

  it('7. registration: a category in the catalogue that measures the quantity; statutory usages name one; only institutes hold public standards', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const instrument = (over: object) => ({
        ownerId: 'city-market',
        name: 'x',
        quantity: 'mass',
        range: { min: '0', max: '30', unit: 'kg' },
        accuracy: { kind: 'class', accuracyClass: 'III' },
        level: 'working_instrument',
        usage: 'trade_settlement',
        ...over,
      });
      await refused(app, db, '/v1/equipment', instrument({ category: 'MV999' }), 'UNKNOWN_REFERENCE', '/category');
      assert.match(
        await refused(app, db, '/v1/equipment', instrument({ category: 'MV010' }), 'CATEGORY_MISMATCH', '/quantity'),
        /MV010 .* measures volume, not mass/,
      );
      await refused(app, db, '/v1/equipment', instrument({}), 'MISSING_FIELD', '/category');
      await created(app, '/v1/equipment', instrument({ id: 'shop-scale', usage: 'other' }));
      const owner = { authorization: `Bearer ${await keyFor('owner', 'city-market')}` };
      const standard = {
        ownerId: 'city-market',
        name: 'market weights',
        quantity: 'mass',
        range: { min: '0.001', max: '20', unit: 'kg' },
        accuracy: { kind: 'class', accuracyClass: 'F1' },
        level: 'public_highest_standard',
        assessment: { certificateNo: 'M-1', validFrom: '2025-01-01', validUntil: '2029-12-31' },
      };
      await refused(app, db, '/v1/equipment', standard, 'WRONG_ORGANISATION_KIND', '/level', owner);
      await refused(
        app,
        db,
        '/v1/equipment',
        { ...standard, level: 'national_primary_standard', assessment: null, realisation: 'ours' },
        'FORBIDDEN',
        '/level',
        owner,
      );
      const lab = { authorization: `Bearer ${await keyFor('lab', 'district-station')}` };
      await refused(
        app,
        db,
        '/v1/equipment',
        { ...standard, ownerId: 'district-station', level: 'national_primary_standard', assessment: null, realisation: 'ours' },
        'FORBIDDEN',
        '/level',
        lab,
      );
    }));

  it('8. a result is never known better than its reference; a broken chain has no chain uncertainty', () =>
    withApp(database, async ({ app, db }) => {
      // city-e1-set's 2025 certificate: u = 0.000000040 kg at 1 kg (4e-8 relative); claiming 1e-8 below it is refused
      const cal = {
        kind: 'calibration',
        subjectId: 'district-f1-set',
        labId: 'nim',
        referenceIds: ['city-e1-set'],
        certificateNo: 'NIM-T-1',
        performedOn: '2026-02-01',
        validUntil: '2027-01-31',
      };
      const detail = await refused(
        app,
        db,
        '/v1/calibrations',
        { ...cal, points: [{ nominal: '1', asFound: '1.0001', expandedUncertainty: '0.000000020', coverageFactor: '2', unit: 'kg' }] },
        'UNCERTAINTY_BELOW_REFERENCE',
        '/points/0/expandedUncertainty',
      );
      assert.match(detail, /at 1 kg \(0\.00000001\) is below the 0\.00000004 that city-e1-set \(certificate NIM-ZL2025-0412\) states at the same value/);
      // at a value the reference's certificate does not state, nothing to compare: a 20 kg point is not judged by a 1 kg one
      await created(app, '/v1/calibrations', {
        ...cal,
        certificateNo: 'NIM-T-20',
        points: [{ nominal: '20', asFound: '20.0001', expandedUncertainty: '0.000000020', coverageFactor: '2', unit: 'kg' }],
      });
      await created(app, '/v1/calibrations', {
        ...cal,
        points: [{ nominal: '1', asFound: '1.0001', expandedUncertainty: '0.0003', coverageFactor: '2', unit: 'kg' }],
      });
      // the equipment's chain uncertainty is its own certificate's: 0.00015 relative
      const u = (await app.inject({ method: 'GET', url: '/v1/equipment/district-f1-set/chain-uncertainty?at=2026-06-01' })).json();
      assert.is(u.relativeStandardUncertainty, '0.00015', JSON.stringify(u));
      // a broken chain: null with the reason, never "0"
      const broken = (await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-42/chain-uncertainty?at=2026-11-25' })).json();
      assert.equal([broken.traceable, broken.relativeStandardUncertainty], [false, null]);
      assert.match(broken.reason, /CERTIFICATE_EXPIRED at scale-stall-42/);
      const r = (await app.inject({ method: 'GET', url: '/v1/equipment/correlation?a=scale-stall-17&b=scale-stall-42&at=2026-11-25' })).json();
      assert.equal([r.correlation, r.traceable], [null, { a: true, b: false }]);
      assert.match(r.reason, /scale-stall-42: the chain is broken/);
      // two meters calibrated with the same calibration of the city's energy standard share its variance, no more
      const m = (await app.inject({ method: 'GET', url: '/v1/equipment/correlation?a=hosp-main-meter&b=hosp-inpatient-meter&at=2026-11-25' })).json();
      // u_shared = 0.000015 (NIM-DN2026-0069), u_a = u_b = 0.0015: r = (0.000015 / 0.0015)² = 0.0001
      assert.is(m.correlation, '0.0001', 'reported to 30 significant digits, where it is exact');
    }));

  it('what the reviewers of #15 found: a failed instrument outside mandatory verification, a suspect meter in an energy audit, a verification from before the catalogue covered the instrument', () =>
    withApp(database, async ({ app }) => {
      // the ward's infant scale is not under mandatory verification (medical use), but its latest verification failed
      const infant = (await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-01288&at=2026-11-25', headers: ANONYMOUS })).json();
      assert.equal([infant.state, infant.usable], ['not_mandatory', false]);
      assert.match(infant.verdict.zh, /不合格，不应使用/);
      assert.not.match((await app.inject({ method: 'GET', url: '/lookup?q=XH-JD2026-01288&lang=zh', headers: ANONYMOUS })).body, /可以使用/);
      // the city's energy standard is found out of tolerance, good last on 2025-01-01: the steel works' billing meter,
      // verified with it on 2025-06-10, is suspect, and the energy audit says so
      await created(app, '/v1/equipment/city-energy-std/out-of-tolerance', { foundOn: '2026-11-01', lastKnownGood: '2025-01-01' });
      assert.is((await app.inject({ method: 'GET', url: '/v1/equipment/steel-main-meter/status?at=2026-11-25' })).json().state, 'suspect');
      const audit = (await app.inject({ method: 'POST', url: '/v1/energy-audits', payload: { organisationId: 'steel-works', at: '2026-11-25' } })).json();
      const main = audit.findings.filter((f: { equipmentId: string | null }) => f.equipmentId === 'steel-main-meter');
      assert.ok(
        main.some((f: { code: string; message: string }) => f.code === 'CHAIN_BROKEN' && /OUT_OF_TOLERANCE at city-energy-std/.test(f.message)),
        JSON.stringify(audit.findings),
      );
      // an EV charger (compulsory verification from 2023-01-01) verified in 2022 by a lab with no authority for it
      await created(app, '/v1/equipment', {
        id: 'charger-1',
        ownerId: 'city-market',
        name: 'AC charging point',
        quantity: 'electrical_energy',
        range: { min: '0', max: '32', unit: 'A' },
        accuracy: { kind: 'class', accuracyClass: '1' },
        level: 'working_instrument',
        category: 'MV015',
        usage: 'trade_settlement',
      });
      await created(
        app,
        '/v1/calibrations',
        verification({ subjectId: 'charger-1', labId: 'acme-cal', referenceIds: ['nim-energy-std'], performedOn: '2022-06-01', validUntil: '2025-05-31' }),
      );
      const charger = (await app.inject({ method: 'GET', url: '/v1/equipment/charger-1/status?at=2024-01-01' })).json();
      assert.equal([charger.state, charger.usable, charger.suspectBecause.map((f: { code: string }) => f.code)], ['suspect', false, ['LAB_NOT_AUTHORISED']]);
      const label = (
        await app.inject({
          method: 'GET',
          url: `/v1/label?certificateNo=${encodeURIComponent((await app.inject({ method: 'GET', url: '/v1/equipment/charger-1/calibrations' })).json().items[0].certificateNo)}&at=2024-01-01`,
          headers: ANONYMOUS,
        })
      ).json();
      assert.match(label.verdict.zh, /没有相应的强制检定授权/);
    }));

  it.run();
}
