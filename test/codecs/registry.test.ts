/** The fields of a Chinese verification document on records (issue #18 item 3): read, written, and refused where they contradict the record. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readEquipment, readRecord, writeEquipment, writeRecord } from '../../src/codecs/registry.ts';
import { MetrologyError } from '../../src/core/errors.ts';
import { certificateKindOf, VERIFICATION_TYPES } from '../../src/core/registry/vocabulary.ts';

const noId = () => 'x';
const base = { id: 'r1', subjectId: 'scale-1', labId: 'lab', certificateNo: 'XH-JD2026-00001', performedOn: '2026-03-01' };
const passed = { ...base, kind: 'verification', conformity: 'pass', validUntil: '2027-02-28' };
const failed = { ...base, kind: 'verification', conformity: 'fail' };
const calibration = { ...base, kind: 'calibration', points: [{ nominal: '1', asFound: '1.0001', unit: 'kg' }] };

function refusal(f: () => unknown): MetrologyError {
  try {
    f();
  } catch (e) {
    if (e instanceof MetrologyError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const it = suite('record document fields');

it('every field is read and written back as given', () => {
  const fields = {
    verificationType: 'periodic',
    procedure: 'JJG 539-2016',
    verifier: '张伟',
    checker: '李娜',
    approver: '王强',
    certificateKind: 'verification_certificate',
    labelNo: 'HG-2026-000123',
    sealNo: 'FY-0042',
    customerName: '徐汇区菜市场管理处',
  };
  const rec = readRecord({ ...passed, ...fields }, noId);
  const wire = writeRecord(rec);
  for (const [k, v] of Object.entries(fields)) assert.is((wire as Record<string, unknown>)[k], v, k);
  assert.is(wire.validUntil, '2027-02-28');
  const { supersededBy: _, ...again } = wire;
  assert.equal(readRecord(again, noId), rec);
});

it('each verification type is accepted on a verification; an unknown one is refused', () => {
  for (const t of VERIFICATION_TYPES) assert.is(readRecord({ ...passed, verificationType: t }, noId).verificationType, t);
  const e = refusal(() => readRecord({ ...passed, verificationType: 'yearly' }, noId));
  assert.equal([e.code, e.path], ['INVALID_FIELD', '/verificationType']);
});

it('absent fields are null, and the certificate kind is derived on the wire', () => {
  const rec = readRecord(passed, noId);
  assert.equal(
    [rec.verificationType, rec.procedure, rec.verifier, rec.checker, rec.approver, rec.certificateKind, rec.labelNo, rec.sealNo, rec.customerName],
    [null, null, null, null, null, null, null, null, null],
  );
  assert.is(writeRecord(rec).certificateKind, 'verification_certificate');
  assert.is(writeRecord(readRecord(failed, noId)).certificateKind, 'result_notice');
  assert.is(writeRecord(readRecord(calibration, noId)).certificateKind, 'calibration_certificate');
});

it('a failed verification states no validUntil: VALIDITY_ON_RESULT_NOTICE', () => {
  const ok = readRecord({ ...failed, certificateKind: 'result_notice' }, noId);
  assert.is(ok.validUntil, null);
  assert.is(writeRecord(ok).validUntil, null);
  const e = refusal(() => readRecord({ ...failed, validUntil: '2027-02-28' }, noId));
  assert.equal([e.code, e.path], ['VALIDITY_ON_RESULT_NOTICE', '/validUntil']);
  assert.match(e.message, /检定结果通知书/);
});

it('a passed verification must state validUntil', () => {
  const e = refusal(() => readRecord({ ...passed, validUntil: undefined }, noId));
  assert.equal([e.code, e.path], ['MISSING_FIELD', '/validUntil']);
  const n = refusal(() => readRecord({ ...passed, validUntil: null }, noId));
  assert.equal([n.code, n.path], ['MISSING_FIELD', '/validUntil']);
});

it('a calibration may omit validUntil; a stated one is still checked against the date', () => {
  assert.is(readRecord(calibration, noId).validUntil, null);
  assert.is(readRecord({ ...calibration, validUntil: '2027-02-28' }, noId).validUntil, '2027-02-28');
  const e = refusal(() => readRecord({ ...calibration, validUntil: '2026-01-01' }, noId));
  assert.equal([e.code, e.path], ['INVALID_RANGE', '/validUntil']);
});

it('a verificationType on a calibration: VERIFICATION_TYPE_ON_CALIBRATION', () => {
  const e = refusal(() => readRecord({ ...calibration, verificationType: 'initial' }, noId));
  assert.equal([e.code, e.path], ['VERIFICATION_TYPE_ON_CALIBRATION', '/verificationType']);
});

it('a certificateKind that contradicts kind and conformity: CERTIFICATE_KIND_MISMATCH', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [passed, 'result_notice'],
    [passed, 'calibration_certificate'],
    [failed, 'verification_certificate'],
    [calibration, 'verification_certificate'],
    [calibration, 'result_notice'],
  ];
  for (const [rec, kind] of cases) {
    const e = refusal(() => readRecord({ ...rec, certificateKind: kind }, noId));
    assert.equal([e.code, e.path], ['CERTIFICATE_KIND_MISMATCH', '/certificateKind'], `${String(rec['kind'])}/${String(rec['conformity'])} as ${kind}`);
  }
  // the one that agrees is accepted, and is what certificateKindOf gives
  assert.is(readRecord({ ...calibration, certificateKind: 'calibration_certificate' }, noId).certificateKind, certificateKindOf('calibration', null));
  const e = refusal(() => readRecord({ ...passed, certificateKind: 'licence' }, noId));
  assert.equal([e.code, e.path], ['INVALID_FIELD', '/certificateKind']);
});

it('label and seal numbers are printed identifiers: look-alikes are refused', () => {
  const e = refusal(() => readRecord({ ...passed, labelNo: 'HG\u200b-0001' }, noId));
  assert.equal([e.code, e.path], ['CONFUSABLE_IDENTIFIER', '/labelNo']);
  const s = refusal(() => readRecord({ ...passed, sealNo: 'x'.repeat(101) }, noId));
  assert.equal([s.code, s.path], ['INVALID_FIELD', '/sealNo']);
});

it('equipment carries a patternApprovalNo (型式批准编号), null when absent', () => {
  const raw = {
    id: 'scale-1',
    ownerId: 'o',
    name: 'Scale',
    quantity: 'mass',
    range: { min: '0', max: '30', unit: 'kg' },
    accuracy: { kind: 'class', accuracyClass: 'III' },
    level: 'working_instrument',
  };
  assert.is(readEquipment(raw, noId).patternApprovalNo, null);
  const e = readEquipment({ ...raw, patternApprovalNo: '2019C123-31' }, noId);
  assert.is(writeEquipment(e).patternApprovalNo, '2019C123-31');
});

it.run();
