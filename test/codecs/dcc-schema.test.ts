/**
 * Exported DCCs against the official PTB schema. xmllint validates, against
 * dcc-<DCC_VERSION>.xsd in ../shared/dcc-xsd/ (beside the project, with its
 * catalog so that the D-SI and XML-signature imports resolve there and nothing
 * is fetched): every golden file in fixtures/dcc/, a fresh export of a demo
 * calibration whose equipment has no manufacturer recorded, and one of a record
 * that takes the writer's optional branches. The schemas are third-party files
 * and stay outside the project.
 *
 * Without ../shared/dcc-xsd/ or without xmllint (scripts/ensure-test-tools.sh,
 * run by `npm test` and CI, installs Debian's libxml2-utils as root) those
 * tests are reported skipped, with the reason. If the folder is there but has
 * no schema for the version the writer declares, they fail: the declaration
 * would then be unchecked.
 *
 * Which declared versions the reader accepts needs no schema and always runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRegistryData } from '../../src/app/demo.ts';
import { DCC_VERSION, MANUFACTURER_NOT_RECORDED, readDcc, writeDcc } from '../../src/codecs/dcc.ts';
import { parseDecimalText } from '../../src/core/numeric/decimal.ts';
import { DrizzleUnitOfWork } from '../../src/persistence/unit-of-work.ts';
import { DEMO, sequentialIds, TEST_RULES, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const XSD_DIR = fileURLToPath(new URL('../../../shared/dcc-xsd/', import.meta.url));
const SCHEMA = `${XSD_DIR}dcc-${DCC_VERSION}.xsd`;
const CATALOG = `${XSD_DIR}catalog.xml`;
const GOLDEN_DIR = new URL('../../fixtures/dcc/', import.meta.url);
const GOLDEN = readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.xml'))
  .sort();

/** Why the schema tests cannot run here, or null when they can. */
function unavailable(): string | null {
  if (!existsSync(XSD_DIR)) return `no schemas at ${XSD_DIR} (the project's shared/dcc-xsd, expected beside the checkout)`;
  const probe = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  if (probe.error) return 'xmllint is not installed (scripts/ensure-test-tools.sh installs libxml2-utils as root)';
  return null;
}

/**
 * Runs xmllint on one document (given on standard input) and fails the test
 * with xmllint's own error lines when it does not validate.
 */
function assertValid(xml: string, label: string): void {
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, '-'], {
    input: xml,
    encoding: 'utf8',
    env: { ...process.env, XML_CATALOG_FILES: CATALOG },
  });
  if (r.error) throw r.error;
  assert.is(r.status, 0, `${label} does not validate against DCC ${DCC_VERSION}:\n${r.stderr.replace(/^-:/gm, `${label}:`)}`);
}

/** The item's manufacturer name as written, or null when the item has none. */
function manufacturerOf(xml: string): string | null {
  const m = /<dcc:item>[\s\S]*?<dcc:manufacturer>\s*<dcc:name>\s*<dcc:content>([^<]*)<\/dcc:content>/.exec(xml);
  return m ? m[1]! : null;
}

const reason = unavailable();
if (reason) console.log(`DCC schema tests skipped: ${reason}`);
const schemaSuite = suite(`exported DCCs validate against the PTB DCC ${DCC_VERSION} schema`);
const it = reason ? schemaSuite.skip : schemaSuite;

it(`the schema for the declared version ${DCC_VERSION} is there`, () => {
  assert.ok(existsSync(SCHEMA), `the writer declares ${DCC_VERSION} but ${XSD_DIR} has no dcc-${DCC_VERSION}.xsd to check that against`);
  assert.ok(existsSync(CATALOG), `${CATALOG} is missing: without it the schema's imports cannot resolve offline`);
});

it('every golden DCC in fixtures/dcc/ validates', () => {
  assert.ok(GOLDEN.length >= 20, `${GOLDEN.length} golden files`);
  for (const file of GOLDEN) assertValid(readFileSync(new URL(file, GOLDEN_DIR), 'utf8'), `fixtures/dcc/${file}`);
});

const [database] = testDatabases();

it('a fresh export of a demo calibration whose equipment has no manufacturer validates, and says the manufacturer is not recorded', async () => {
  // The demo data is loaded with the subject's manufacturer cleared, so the
  // case stays covered whatever the demo comes to record.
  const demo = DEMO as Record<string, unknown[]> & { equipment: Array<Record<string, unknown>> };
  const data = { ...demo, equipment: demo.equipment.map((e) => (e['id'] === 'city-e1-set' ? { ...e, manufacturer: null } : e)) };
  await withApp(
    database!,
    async ({ app, db }) => {
      await loadRegistryData(new DrizzleUnitOfWork(db), data, sequentialIds('load'), TEST_RULES);
      const res = await app.inject({ method: 'GET', url: '/v1/calibrations/rec-city-e1-2025/dcc.xml' });
      assert.is(res.statusCode, 200, res.body);
      assertValid(res.body, 'rec-city-e1-2025 (no manufacturer)');
      assert.is(manufacturerOf(res.body), MANUFACTURER_NOT_RECORDED);
      assert.match(res.body, `schemaVersion="${DCC_VERSION}"`);
      assert.match(res.body, `xsi:schemaLocation="https://ptb.de/dcc https://ptb.de/dcc/v${DCC_VERSION}/dcc.xsd"`);
      const read = readDcc(res.body);
      assert.is(read.record.certificateNo, 'NIM-ZL2025-0412');
      assert.equal(read.unmapped, [], 'the placeholder maps to nothing and is not reported');
    },
    { demo: false },
  );
});

it("a record taking the writer's optional branches validates: manufacturer, model, serial number, no reference, remarks, decision rule, as-left points, a condition without uncertainty", async () => {
  const d = (v: string) => parseDecimalText(v, '');
  await withApp(database!, async ({ registry }) => {
    const { record } = await registry.getRecord('rec-city-e1-2025');
    const subject = {
      ...(await registry.getEquipment(record.subjectId)),
      manufacturer: 'Example Balances Ltd (test data)',
      model: 'XB 1000',
      serialNumber: 'SN 0042',
    };
    const lab = await registry.getOrganisation(record.labId);
    const xml = writeDcc({
      record: {
        ...record,
        referenceIds: [],
        remarks: 'Adjusted before the as-left measurement.',
        decisionRule: { kind: 'simple' },
        points: [
          { nominal: d('1'), asFound: d('1.000000031'), asLeft: d('1.000000002'), expandedUncertainty: d('0.000000080'), coverageFactor: d('2'), unit: 'kg' },
          { nominal: d('0.5'), asFound: null, asLeft: d('0.5000000010'), expandedUncertainty: d('4.0e-8'), coverageFactor: d('1.96'), unit: 'kg' },
          { nominal: d('0.1'), asFound: d('0.1000000052'), asLeft: null, expandedUncertainty: null, coverageFactor: null, unit: 'kg' },
        ],
        conditions: [{ name: 'air pressure', value: d('101.32'), unit: 'kPa', expandedUncertainty: null, coverageFactor: null }],
      },
      subject,
      lab,
      owner: null,
      references: new Map(),
      software: { name: 'metrotrace', release: 'test' },
      traceability: 'No reference standard is recorded for this calibration.',
    });
    assertValid(xml, 'the optional-branches record');
    assert.is(manufacturerOf(xml), 'Example Balances Ltd (test data)');
    assert.match(xml, '<dcc:model>XB 1000</dcc:model>');
    assert.match(xml, 'metrotrace_asLeftValue');
  });
});

it('the record document fields validate and read back: signatories by dcc:role (the approver the main signer), the customer, the procedure as the used method; no validity statement when the record states none', async () => {
  await withApp(database!, async ({ registry }) => {
    const { record } = await registry.getRecord('rec-city-e1-2025');
    const subject = await registry.getEquipment(record.subjectId);
    const lab = await registry.getOrganisation(record.labId);
    const xml = writeDcc({
      record: {
        ...record,
        validUntil: null,
        procedure: 'JJG 99-2022',
        verifier: '李卫东',
        checker: '张敏',
        approver: '黄志远',
        customerName: 'Municipal Institute (customer, test data)',
      },
      subject,
      lab,
      owner: null,
      references: new Map(),
      software: { name: 'metrotrace', release: 'test' },
      traceability: 'test',
    });
    assertValid(xml, 'the record with document fields');
    assert.match(xml, /<dcc:role>approver<\/dcc:role>\s*<dcc:mainSigner>true<\/dcc:mainSigner>/);
    assert.not.match(xml, /metrotrace_validUntil/);
    const read = readDcc(xml);
    assert.equal(
      [read.record.procedure, read.record.verifier, read.record.checker, read.record.approver, read.record.customerName, read.record.validUntil],
      ['JJG 99-2022', '李卫东', '张敏', '黄志远', 'Municipal Institute (customer, test data)', null],
    );
    assert.equal(read.unmapped, []);
  });
});

schemaSuite.run();

const versions = suite('DCC schema versions the reader accepts');
const golden = (id: string) => readFileSync(new URL(`${id}.xml`, GOLDEN_DIR), 'utf8');

versions(
  `a DCC declaring ${DCC_VERSION}, or 3.3.0 as metrotrace wrote before (without the item's manufacturer), reads to the same record with nothing unmapped`,
  () => {
    const current = golden('rec-hosp-gas-2026');
    const earlier = current
      .replace(`schemaVersion="${DCC_VERSION}"`, 'schemaVersion="3.3.0"')
      .replace(/ xmlns:xsi="[^"]*" xsi:schemaLocation="[^"]*"/, '')
      .replace(/\s*<dcc:manufacturer>[\s\S]*?<\/dcc:manufacturer>/, '');
    assert.ok(earlier.includes('schemaVersion="3.3.0"') && !earlier.includes('dcc:manufacturer') && !earlier.includes('xsi:'), 'the earlier form was made');
    const a = readDcc(current);
    const b = readDcc(earlier);
    assert.equal(a.unmapped, []);
    assert.equal(b.unmapped, []);
    assert.equal(b.record, a.record);
    assert.equal(b.measuringEquipment, a.measuringEquipment);
  },
);

versions(`another 3.x version is read as ${DCC_VERSION}, and that is reported`, () => {
  const read = readDcc(golden('rec-hosp-gas-2026').replace(`schemaVersion="${DCC_VERSION}"`, 'schemaVersion="3.1.2"'));
  assert.equal(read.unmapped, [`/dcc:digitalCalibrationCertificate/@schemaVersion (3.1.2; read as ${DCC_VERSION})`]);
});

versions.run();
