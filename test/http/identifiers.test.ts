/**
 * Look-alike identifiers (issue 16, item 8): a certificate number or asset
 * code with an invisible or bidi-control character, or mixing Latin with
 * Cyrillic or Greek, is refused where it is written (JSON and DCC), naming the
 * field and the character; one written wholly in look-alike letters is the
 * Latin number, so it cannot stand beside it, and neither can an old row.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rowCounts, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const VERIFICATION = {
  kind: 'verification',
  subjectId: 'scale-stall-17',
  labId: 'district-station',
  referenceIds: ['district-f1-set'],
  performedOn: '2026-11-20',
  validUntil: '2027-11-19',
  conformity: 'pass',
  points: [{ nominal: '15', asFound: '15.0050', expandedUncertainty: '0.00020', coverageFactor: '2', unit: 'kg' }],
};
const SCALE = {
  ownerId: 'city-market',
  name: 'Price-computing scale, stall 98',
  quantity: 'mass',
  range: { min: '0.04', max: '30', unit: 'kg' },
  accuracy: { kind: 'class', accuracyClass: 'III' },
  level: 'working_instrument',
  category: 'MV016',
  usage: 'trade_settlement',
};
const GAS_DCC = readFileSync(new URL('../../fixtures/dcc/rec-hosp-gas-2026.xml', import.meta.url), 'utf8');

for (const database of testDatabases()) {
  const it = suite(`look-alike identifiers on ${database.name}`);

  it('a certificate number with a zero-width space, a bidi override or a Cyrillic Х is refused, naming the character', () =>
    withApp(database, async ({ app, db }) => {
      const before = await rowCounts(db);
      const cases: Array<[string, RegExp]> = [
        ['XH-JD2026\u200b-00317', /U\+200B ZERO WIDTH SPACE/],
        ['XH-JD2026-\u202e71300', /U\+202E RIGHT-TO-LEFT OVERRIDE/],
        ['\u0425H-JD2026-00317', /U\+0425 CYRILLIC CAPITAL LETTER HA, drawn like Latin X/],
      ];
      for (const [certificateNo, message] of cases) {
        const res = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: { ...VERIFICATION, certificateNo } });
        assert.equal([res.statusCode, res.json().code, res.json().path], [400, 'CONFUSABLE_IDENTIFIER', '/certificateNo'], res.body);
        assert.match(res.json().detail, message);
      }
      assert.equal(await rowCounts(db), before, 'nothing stored');
      // Chinese with Latin digits is a normal certificate number
      const ok = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: { ...VERIFICATION, certificateNo: '[2026]沪徐量检证字第0099号' } });
      assert.is(ok.statusCode, 201, ok.body);
    }));

  it('an asset code mixing Latin and Greek is refused at /assetCode', () =>
    withApp(database, async ({ app }) => {
      const res = await app.inject({ method: 'POST', url: '/v1/equipment', payload: { ...SCALE, assetCode: 'LH-9\u039f' } });
      assert.equal([res.statusCode, res.json().code, res.json().path], [400, 'CONFUSABLE_IDENTIFIER', '/assetCode'], res.body);
      assert.match(res.json().detail, /the asset code "LH-9Ο" mixes Latin letters with Greek ones, which look alike: U\+039F GREEK CAPITAL LETTER OMICRON/);
      assert.is((await app.inject({ method: 'POST', url: '/v1/equipment', payload: { ...SCALE, assetCode: '市场-秤-98' } })).statusCode, 201);
    }));

  it('a DCC whose certificate number holds a look-alike is refused at its element', () =>
    withApp(database, async ({ app }) => {
      const xml = GAS_DCC.replace('<dcc:uniqueIdentifier>SIMT-LL2026-0310<', '<dcc:uniqueIdentifier>SIMT-LL2026-031\u041e<');
      const res = await app.inject({
        method: 'POST',
        url: '/v1/dcc',
        payload: { xml, subjectId: 'hosp-gas-meter', labId: 'city-institute', id: 'rec-lookalike' },
      });
      assert.equal(
        [res.statusCode, res.json().code, res.json().path],
        [400, 'CONFUSABLE_IDENTIFIER', '/dcc:digitalCalibrationCertificate/dcc:administrativeData/dcc:coreData/dcc:uniqueIdentifier'],
        res.body,
      );
      assert.match(res.json().detail, /U\+041E CYRILLIC CAPITAL LETTER O, drawn like Latin O/);
    }));

  it('a number written wholly in Cyrillic look-alikes is the Latin number: a duplicate, and found by lookups', () =>
    withApp(database, async ({ app }) => {
      assert.is((await app.inject({ method: 'POST', url: '/v1/calibrations', payload: { ...VERIFICATION, certificateNo: 'XH-2026-7' } })).statusCode, 201);
      const twin = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: { ...VERIFICATION, performedOn: '2026-11-21', certificateNo: '\u0425\u041d-2026-7' },
      });
      assert.equal([twin.statusCode, twin.json().code], [409, 'DUPLICATE'], twin.body);
      const label = await app.inject({ method: 'GET', url: `/v1/label?certificateNo=${encodeURIComponent('\u0445\u04bb-2026-7')}&at=2026-11-25` });
      assert.is(label.statusCode, 200, label.body);
      assert.is(label.json().certificateNo, 'XH-2026-7');
    }));

  it('an old row holding a Cyrillic Х (written before the check) and a new Latin number collide', () =>
    withApp(database, async ({ app, db }) => {
      await db.execute(sql`insert into calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on, valid_until, conformity)
        values ('rec-old-lookalike', 'calibration', 'lab-balance-07', 'city-institute', ${'\u0425H-2020-5'}, '2020-01-10', '2021-01-09', null)`);
      const res = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: { ...VERIFICATION, certificateNo: 'XH-2020-5' } });
      assert.equal([res.statusCode, res.json().code], [409, 'DUPLICATE'], res.body);
      // the old row is another lab's: the refusal says the number is taken, not whose record holds it
      assert.match(res.json().detail, /already recorded by another lab/);
      assert.not.match(res.json().detail, /rec-old-lookalike/);
    }));

  it.run();
}
