/** Digital Calibration Certificates out and in, on PGlite and (with DATABASE_URL) PostgreSQL. */
import { readdirSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRegistryData } from '../../src/app/demo.ts';
import { readDcc } from '../../src/codecs/dcc.ts';
import { MetrologyError } from '../../src/core/errors.ts';
import { DrizzleUnitOfWork } from '../../src/persistence/unit-of-work.ts';
import { DEMO, sequentialIds, TEST_RULES, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const DIR = new URL('../../fixtures/dcc/', import.meta.url);
const GOLDEN = readdirSync(DIR)
  .filter((f) => f.endsWith('.xml'))
  .sort();
const golden = (id: string) => readFileSync(new URL(`${id}.xml`, DIR), 'utf8');

for (const database of testDatabases()) {
  const it = suite(`DCC out and in on ${database.name}`);

  it('every demo calibration exports exactly its golden DCC, and the DCC reads back to the same record, digit for digit', async () => {
    assert.ok(GOLDEN.length >= 20, `${GOLDEN.length} golden files`);
    assert.match(golden('rec-city-e1-2025'), /<dcc:influenceConditions>[\s\S]*<si:value>20\.2<\/si:value>\s*<si:unit>\\degreeCelsius<\/si:unit>/);
    await withApp(database, async ({ app }) => {
      for (const file of GOLDEN) {
        const id = file.replace(/\.xml$/, '');
        const res = await app.inject({ method: 'GET', url: `/v1/calibrations/${id}/dcc.xml` });
        assert.is(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /application\/xml/);
        assert.is(res.body + '\n', golden(id), `${id}: the export changed; rerun scripts/generate-dcc-golden.ts and review`);
        const stored = (await app.inject({ method: 'GET', url: `/v1/calibrations/${id}` })).json();
        const read = readDcc(res.body);
        assert.equal(
          [read.record.certificateNo, read.record.performedOn, read.record.validUntil, read.record.remarks, read.record.referenceIds],
          [stored.certificateNo, stored.performedOn, stored.validUntil, stored.remarks, stored.referenceIds],
          id,
        );
        assert.equal(
          read.record.points.map((p) => [p.nominal, p.asFound, p.asLeft, p.expandedUncertainty, p.coverageFactor, p.unit]),
          stored.points.map((p: Record<string, string | null>) => [
            p.nominal,
            p.asFound,
            p.asLeft ?? null,
            p.expandedUncertainty ?? null,
            p.coverageFactor ?? null,
            p.unit,
          ]),
          id,
        );
        assert.equal(read.record.conditions, stored.conditions, `${id}: influence conditions`);
        assert.equal(read.unmapped, [], id);
      }
    });
  });

  it('a DCC imported into a registry without the record becomes the same record', async () => {
    const { db } = await database.open();
    const data = { ...(DEMO as Record<string, unknown[]>) };
    data['records'] = (data['records'] as Array<{ id: string }>).filter((r) => r.id !== 'rec-hosp-gas-2026');
    await withApp(
      database,
      async ({ app, db: tx }) => {
        await loadRegistryData(new DrizzleUnitOfWork(tx), data, sequentialIds('load'), TEST_RULES);
        const res = await app.inject({
          method: 'POST',
          url: '/v1/dcc',
          payload: { xml: golden('rec-hosp-gas-2026'), subjectId: 'hosp-gas-meter', labId: 'city-institute', id: 'rec-hosp-gas-2026' },
        });
        assert.is(res.statusCode, 201, res.body);
        const body = res.json();
        assert.equal(body.unmapped, []);
        const original = (DEMO as { records: Array<Record<string, unknown>> }).records.find((r) => r['id'] === 'rec-hosp-gas-2026')!;
        assert.equal(
          [
            body.record.certificateNo,
            body.record.performedOn,
            body.record.validUntil,
            body.record.referenceIds,
            body.record.points[0].asFound,
            body.record.points[0].expandedUncertainty,
          ],
          [original['certificateNo'], original['performedOn'], original['validUntil'], original['referenceIds'], '1.0012', '0.0030'],
        );
        // the imported record links the meter into the chain again: the hospital audit is compliant once more
        const trace = (await app.inject({ method: 'GET', url: '/v1/equipment/hosp-gas-meter/traceability?at=2026-11-25' })).json();
        assert.is(trace.traceable, true, JSON.stringify(trace.findings));
      },
      { demo: false },
    );
    void db;
  });

  it('what the record cannot hold is reported, not dropped', async () => {
    await withApp(database, async ({ app }) => {
      const xml = golden('rec-city-flow-2026')
        .replace('NIM-LL2026-0027', 'NIM-LL2026-9999')
        .replace('<dcc:endPerformanceDate>2026-02-25</dcc:endPerformanceDate>', '<dcc:endPerformanceDate>2026-02-27</dcc:endPerformanceDate>')
        .replace('</dcc:measurementResults>', '</dcc:measurementResults>\n  <dcc:comment>handled with gloves</dcc:comment>')
        .replace('<dcc:value>nim-volume-std</dcc:value>', '<dcc:value>ptb-flow-42</dcc:value>');
      // an id that sorts after the demo's record of the same day, so that the chain follows this one
      const res = await app.inject({ method: 'POST', url: '/v1/dcc', payload: { xml, subjectId: 'city-flow-std', labId: 'nim', id: 'zz-imported' } });
      assert.is(res.statusCode, 201, res.body);
      const { unmapped, record } = res.json();
      assert.equal(unmapped, [
        '/dcc:digitalCalibrationCertificate/dcc:administrativeData/dcc:coreData/dcc:endPerformanceDate (2026-02-27; the record keeps the begin date 2026-02-25)',
        '/dcc:digitalCalibrationCertificate/dcc:comment',
      ]);
      // a standard outside this registry is kept as the certificate names it, marked external
      assert.equal([record.referenceIds, record.externalReferences], [[], ['ptb-flow-42']]);
      const trace = (await app.inject({ method: 'GET', url: '/v1/equipment/city-flow-std/traceability?at=2026-06-01' })).json();
      assert.equal([trace.traceable, trace.notes.map((f: { code: string }) => f.code)], [true, ['EXTERNAL_REFERENCE']]);
      // and it goes out again in an export of that record
      const again = (await app.inject({ method: 'GET', url: `/v1/calibrations/${record.id}/dcc.xml` })).body;
      assert.match(again, /<dcc:issuer>other<\/dcc:issuer>\s*<dcc:value>ptb-flow-42<\/dcc:value>/);
    });
  });

  it('a malformed DCC gets a clear error naming the element', async () => {
    const base = golden('rec-city-e1-2025');
    const cases: Array<[string, RegExp, RegExp]> = [
      ['<root/>', /^$/, /root element is not dcc:digitalCalibrationCertificate/],
      [
        base.replace(/<dcc:uniqueIdentifier>[^<]*<\/dcc:uniqueIdentifier>/, ''),
        /dcc:coreData\/dcc:uniqueIdentifier$/,
        /required element dcc:uniqueIdentifier is missing/,
      ],
      [base.replace('<si:unit>\\kilogram</si:unit>', '<si:unit>/kilogram</si:unit>'), /si:real\/si:unit$/, /"\/kilogram" is not a D-SI unit/],
      [base.replace('<si:value>1.000000031</si:value>', '<si:value>1,000000031</si:value>'), /si:real\/si:value$/, /is not a decimal number/],
      [base.replace('schemaVersion="3.2.0"', 'schemaVersion="2.4.0"'), /@schemaVersion$/, /not a DCC 3\.x version/],
      ['<dcc:digitalCalibrationCertificate', /^$/, /not well-formed XML|root element/],
    ];
    for (const [xml, path, message] of cases) {
      try {
        readDcc(xml);
        assert.unreachable(`accepted: ${xml.slice(0, 60)}`);
      } catch (e) {
        assert.instance(e, MetrologyError);
        assert.is((e as MetrologyError).code, 'INVALID_DCC');
        assert.match((e as MetrologyError).path, path);
        assert.match((e as Error).message, message);
      }
    }
    await withApp(database, async ({ app }) => {
      const res = await app.inject({ method: 'POST', url: '/v1/dcc', payload: { xml: cases[2]![0], subjectId: 'city-e1-set', labId: 'nim' } });
      assert.equal([res.statusCode, res.json().code], [400, 'INVALID_DCC']);
      assert.match(res.json().path, /si:unit$/);
      const verification = await app.inject({ method: 'GET', url: '/v1/calibrations/rec-stall17-2026/dcc.xml' });
      assert.equal([verification.statusCode, verification.json().code], [422, 'NOT_APPLICABLE']);
    });
  });

  it.run();
}

for (const database of testDatabases()) {
  const side = suite(`DCC sidecar: correlation survives the hand-over, on ${database.name}`);

  side('two results sharing a flow standard keep their correlation in a registry that has none of the standards', async () => {
    const ids = ['rec-steel-water-2026', 'rec-hosp-water-2026'];
    const handed: Array<{ xml: string; sidecar: unknown }> = [];
    let source = '';
    await withApp(database, async ({ app }) => {
      for (const id of ids) {
        const xml = (await app.inject({ method: 'GET', url: `/v1/calibrations/${id}/dcc.xml` })).body;
        const sidecar = (await app.inject({ method: 'GET', url: `/v1/calibrations/${id}/dcc-sidecar.json` })).json();
        handed.push({ xml, sidecar });
      }
      const r = (await app.inject({ method: 'GET', url: `/v1/calibrations/correlation?a=${ids[0]}&b=${ids[1]}` })).json();
      source = r.correlation;
      assert.ok(
        r.shared.some((s: string) => s.startsWith('city-flow-std')),
        JSON.stringify(r.shared),
      );
      assert.ok(Number(source) > 0 && Number(source) < 1, source);
      // the same value as the chains give for the two meters
      const chains = (await app.inject({ method: 'GET', url: '/v1/equipment/correlation?a=steel-water-main&b=hosp-water-meter&at=2026-11-25' })).json();
      assert.is(chains.correlation, source);
    });
    await withApp(
      database,
      async ({ app, db }) => {
        const demo = DEMO as { organisations: Array<{ id: string }>; scopes: Array<{ id: string }>; equipment: Array<{ id: string }> };
        const data = {
          organisations: demo.organisations.filter((o) => ['city-institute', 'steel-works', 'city-hospital'].includes(o.id)),
          scopes: demo.scopes.filter((s) => s.id === 'scope-city-volume'),
          equipment: demo.equipment.filter((e) => ['steel-water-main', 'hosp-water-meter'].includes(e.id)),
        };
        await loadRegistryData(new DrizzleUnitOfWork(db), data, sequentialIds('load'), TEST_RULES);
        const subjects = ['steel-water-main', 'hosp-water-meter'];
        for (const [i, h] of handed.entries()) {
          const res = await app.inject({
            method: 'POST',
            url: '/v1/dcc',
            payload: { xml: h.xml, sidecar: h.sidecar as Record<string, unknown>, subjectId: subjects[i], labId: 'city-institute', id: `in-${i}` },
          });
          assert.is(res.statusCode, 201, res.body);
          assert.equal([res.json().unmapped, res.json().record.externalReferences], [[], ['city-flow-std']]);
        }
        const r = (await app.inject({ method: 'GET', url: '/v1/calibrations/correlation?a=in-0&b=in-1' })).json();
        assert.is(r.correlation, source, 'the same correlation, digit for digit, without the standards');
        const mismatch = await app.inject({
          method: 'POST',
          url: '/v1/dcc',
          payload: {
            xml: handed[0]!.xml,
            sidecar: handed[1]!.sidecar as Record<string, unknown>,
            subjectId: 'steel-water-main',
            labId: 'city-institute',
            id: 'in-x',
          },
        });
        assert.equal([mismatch.statusCode, mismatch.json().path], [400, '/sidecar/certificateNo']);
      },
      { demo: false },
    );
  });

  side.run();
}
