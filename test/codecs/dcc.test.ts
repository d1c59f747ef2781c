/**
 * The DCC codec: a record written as a PTB DCC 3.2.0 document and read back
 * (points, validity, signatories, procedure, conditions, standards), what a
 * foreign document says that a record cannot hold listed as unmapped, and the
 * refusals (INVALID_DCC) at the element's path. Schema validity is the suite
 * dcc-schema.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DCC_SCHEMA_LOCATION, DCC_VERSION, type DccContext, MANUFACTURER_NOT_RECORDED, readDcc, writeDcc } from '../../src/codecs/dcc.ts';
import { readEquipment, readOrganisation, readRecord } from '../../src/codecs/registry.ts';
import type { MetrologyError } from '../../src/core/errors.ts';
import { refusal } from '../helpers/refusal.ts';

const noId = () => 'x';
const lab = readOrganisation({ id: 'nim', name: 'National <Institute> & Co', kind: 'calibration_lab', regionCode: '310000' }, noId);
const owner = readOrganisation({ id: 'steel', name: 'Steel Works', kind: 'enterprise', regionCode: '310104' }, noId);
const subject = readEquipment(
  {
    id: 'bal-7',
    ownerId: 'steel',
    name: 'Balance 7',
    serialNumber: 'SN-77',
    quantity: 'mass',
    range: { min: '0', max: '200', unit: 'g' },
    accuracy: { kind: 'class', accuracyClass: 'I' },
    level: 'working_instrument',
  },
  noId,
);
const std = readEquipment(
  {
    id: 'e2-set',
    ownerId: 'nim',
    name: 'E2 weights',
    quantity: 'mass',
    range: { min: '0', max: '200', unit: 'g' },
    accuracy: { kind: 'class', accuracyClass: 'E2' },
    level: 'working_standard',
    assessment: { certificateNo: 'A-1', validFrom: '2020-01-01', validUntil: '2030-12-31' },
  },
  noId,
);
const record = (extra: Record<string, unknown> = {}) =>
  readRecord(
    {
      id: 'r-1',
      kind: 'calibration',
      subjectId: 'bal-7',
      labId: 'nim',
      referenceIds: ['e2-set'],
      certificateNo: 'NIM-2026-001',
      performedOn: '2026-03-02',
      validUntil: '2027-03-01',
      points: [
        { nominal: '100', asFound: '100.00012', expandedUncertainty: '0.00003', coverageFactor: '2', unit: 'g' },
        { nominal: '200', asLeft: '200.0001', expandedUncertainty: '0.00005', coverageFactor: '2', unit: 'g' },
      ],
      ...extra,
    },
    noId,
  );
const context = (r = record()): DccContext => ({
  record: r,
  subject,
  lab,
  owner,
  references: new Map([['e2-set', std]]),
  software: { name: 'metrotrace', release: '9.9.9' },
  traceability: 'traceable to the national kilogram',
});
const refused = (xml: string) => refusal(() => readDcc(xml));

const write = suite('writeDcc');

write('the document: version, namespaces, the certificate number, the item, escaped names', () => {
  const xml = writeDcc(context());
  assert.is(DCC_VERSION, '3.2.0');
  assert.match(xml, `<dcc:digitalCalibrationCertificate xmlns:dcc="https://ptb.de/dcc" schemaVersion="3.2.0"`);
  assert.match(xml, `xsi:schemaLocation="${DCC_SCHEMA_LOCATION}"`);
  assert.match(xml, '<dcc:uniqueIdentifier>NIM-2026-001</dcc:uniqueIdentifier>');
  assert.match(xml, '<dcc:content>National &lt;Institute&gt; &amp; Co</dcc:content>');
  assert.match(xml, `<dcc:content>${MANUFACTURER_NOT_RECORDED}</dcc:content>`);
  assert.match(xml, '<dcc:value>SN-77</dcc:value>');
  assert.match(xml, '<dcc:content>Authorised signatory of National &lt;Institute&gt; &amp; Co (no name on record)</dcc:content>');
  assert.match(xml, '<dcc:content>Steel Works</dcc:content>');
  assert.match(xml, '<si:unit>\\gram</si:unit>');
  // k = 2 under a normal distribution: 95.45 %
  assert.match(xml, '<si:coverageProbability>0.9545</si:coverageProbability>');
  assert.match(xml, 'No statement of conformity is made in this certificate');
});

write('signatories with their roles, the approver the main signer; a unit without a D-SI form is refused', () => {
  const xml = writeDcc(context(record({ verifier: '陈静', approver: '周建国' })));
  assert.match(xml, /<dcc:content>陈静<\/dcc:content>\s*<\/dcc:name>\s*<\/dcc:person>\s*<dcc:role>verifier<\/dcc:role>/);
  assert.match(xml, /<dcc:role>approver<\/dcc:role>\s*<dcc:mainSigner>true<\/dcc:mainSigner>/);
  assert.not.match(xml, 'no name on record');
  assert.not.match(xml, '<dcc:role>checker</dcc:role>');
  try {
    writeDcc(context(record({ points: [{ nominal: '1', asFound: '1', unit: 'lb' }] })));
    assert.unreachable();
  } catch (e) {
    assert.equal([(e as MetrologyError).code, (e as MetrologyError).path], ['INVALID_FIELD', '/points/0/unit']);
  }
});

const read = suite('readDcc');

read('a written record reads back: its number, dates, points with their uncertainties, standards, signatories', () => {
  const r = readDcc(
    writeDcc(context(record({ verifier: '陈静', checker: '刘洋', procedure: 'JJG 99-2022', remarks: 'cleaned', customerName: 'Steel Works Lab' }))),
  );
  assert.equal(r.unmapped, []);
  assert.equal(r.measuringEquipment, [{ value: 'e2-set', issuedByLab: true }]);
  assert.equal(r.record, {
    kind: 'calibration',
    referenceIds: ['e2-set'],
    certificateNo: 'NIM-2026-001',
    performedOn: '2026-03-02',
    validUntil: '2027-03-01',
    conformity: null,
    points: [
      { nominal: '100', asFound: '100.00012', asLeft: null, expandedUncertainty: '0.00003', coverageFactor: '2', unit: 'g' },
      { nominal: '200', asFound: null, asLeft: '200.0001', expandedUncertainty: '0.00005', coverageFactor: '2', unit: 'g' },
    ],
    remarks: 'cleaned',
    conditions: [],
    procedure: 'JJG 99-2022',
    verifier: '陈静',
    checker: '刘洋',
    approver: null,
    customerName: 'Steel Works Lab',
  });
  assert.is(readDcc(writeDcc(context(record({ validUntil: null })))).record.validUntil, null);
});

read('standards outside the registry are kept as they were identified, not as registry ids', () => {
  const r = readDcc(writeDcc(context(record({ referenceIds: [], externalReferences: ['PTB weight 1 kg No. 42'] }))));
  assert.equal(r.measuringEquipment, [{ value: 'PTB weight 1 kg No. 42', issuedByLab: false }]);
});

const xml = () => writeDcc(context());

read('what a record cannot hold is listed as unmapped: another version, a later end date, foreign statements and quantities', () => {
  const foreign = xml()
    .replace('schemaVersion="3.2.0"', 'schemaVersion="3.1.2"')
    .replace('<dcc:endPerformanceDate>2026-03-02', '<dcc:endPerformanceDate>2026-03-04')
    .replace('refType="metrotrace_decisionRule"', 'refType="lab_note"')
    .replace('<si:unit>\\gram</si:unit>', '<si:unit>\\candela</si:unit>');
  const r = readDcc(foreign);
  assert.equal(r.unmapped, [
    '/dcc:digitalCalibrationCertificate/@schemaVersion (3.1.2; read as 3.2.0)',
    '/dcc:digitalCalibrationCertificate/dcc:administrativeData/dcc:coreData/dcc:endPerformanceDate (2026-03-04; the record keeps the begin date 2026-03-02)',
    '/dcc:digitalCalibrationCertificate/dcc:administrativeData/dcc:statements/dcc:statement[2] (refType lab_note)',
    '/dcc:digitalCalibrationCertificate/dcc:measurementResults/dcc:measurementResult[1]/dcc:results/dcc:result[1]/dcc:data/dcc:list/dcc:quantity[1]/si:real/si:unit (\\candela: valid D-SI, not a unit of this registry)',
    '/dcc:digitalCalibrationCertificate/dcc:measurementResults/dcc:measurementResult[1]/dcc:results/dcc:result[1] (no basic_nominalValue)',
  ]);
  assert.is(r.record.points.length, 1);
  assert.equal(readDcc(xml().replace('schemaVersion="3.2.0"', 'schemaVersion="3.3.0"')).unmapped, []);
});

read('refusals: not XML, another root or namespace, not a 3.x version, missing or empty elements, bad dates, decimals and units', () => {
  const R = '/dcc:digitalCalibrationCertificate';
  const C = `${R}/dcc:administrativeData/dcc:coreData`;
  assert.equal(refused('<dcc:x'), ['INVALID_DCC', '']);
  assert.equal(refused('<root/>'), ['INVALID_DCC', '']);
  assert.equal(refused(xml().replace('xmlns:dcc="https://ptb.de/dcc"', 'xmlns:dcc="https://example.org/dcc"')), ['INVALID_DCC', R]);
  assert.equal(refused(xml().replace('schemaVersion="3.2.0"', 'schemaVersion="2.4.0"')), ['INVALID_DCC', `${R}/@schemaVersion`]);
  assert.equal(refused(xml().replace(/<dcc:uniqueIdentifier>[^<]*<\/dcc:uniqueIdentifier>/, '<dcc:uniqueIdentifier> </dcc:uniqueIdentifier>')), [
    'INVALID_DCC',
    `${C}/dcc:uniqueIdentifier`,
  ]);
  assert.equal(refused(xml().replace('<dcc:beginPerformanceDate>2026-03-02', '<dcc:beginPerformanceDate>2026-02-30')), [
    'INVALID_DCC',
    `${C}/dcc:beginPerformanceDate`,
  ]);
  assert.equal(refused(xml().replace(/<dcc:date>[^<]*<\/dcc:date>/, '<dcc:date>next year</dcc:date>')), [
    'INVALID_DCC',
    `${R}/dcc:administrativeData/dcc:statements/dcc:statement[1]/dcc:date`,
  ]);
  const Q = `${R}/dcc:measurementResults/dcc:measurementResult[1]/dcc:results/dcc:result[1]/dcc:data/dcc:list/dcc:quantity[1]/si:real`;
  assert.equal(refused(xml().replace('<si:value>100</si:value>', '<si:value>1e</si:value>')), ['INVALID_DCC', `${Q}/si:value`]);
  assert.equal(refused(xml().replace('<si:unit>\\gram</si:unit>', '<si:unit>gram</si:unit>')), ['INVALID_DCC', `${Q}/si:unit`]);
  assert.equal(refused(xml().replace(/<dcc:calibrationLaboratory>[\s\S]*<\/dcc:calibrationLaboratory>/, '')), [
    'INVALID_DCC',
    `${R}/dcc:administrativeData/dcc:calibrationLaboratory`,
  ]);
  // a well-formed document, padded past 5 MB, is refused for its size
  const padded = xml();
  assert.equal(refused(padded + ' '.repeat(5_000_001 - padded.length)), ['INVALID_DCC', '']);
});

write.run();
read.run();
