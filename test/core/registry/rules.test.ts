/**
 * The registry's integrity rules that need no traceability graph: ranges,
 * scopes and their issuer, equipment against its owner, dates, and the legal
 * authority behind a mandatory verification. Each refusal names its code and
 * field. (The rules over the chain of references are the suites of
 * core/traceability/chain.ts and the registry API.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { MetrologyError } from '../../../src/core/errors.ts';
import type { DecimalText } from '../../../src/core/numeric/decimal.ts';
import { checkAuthority, checkEquipment, checkIssuer, checkNotFuture, checkRange, checkScope } from '../../../src/core/registry/rules.ts';
import type { CalibrationRecord, Equipment, LabScope, Organisation } from '../../../src/core/registry/types.ts';

const d = (s: string) => s as CalendarDate;
const n = (s: string) => s as DecimalText;
const org = (id: string, kind: Organisation['kind']): Organisation => ({ id, name: id, kind, regionCode: '310104', accreditation: null });
const lab = org('nim-sh', 'legal_metrology_institute');

/** [code, path] of the refusal, or null when the check passes. */
const refusal = (f: () => void): [string, string] | null => {
  try {
    f();
    return null;
  } catch (e) {
    assert.instance(e, MetrologyError);
    return [(e as MetrologyError).code, (e as MetrologyError).path];
  }
};

const scope = (over: Partial<LabScope> = {}): LabScope => ({
  id: 's',
  labId: 'nim-sh',
  quantity: 'mass',
  category: null,
  range: { min: n('0'), max: n('60'), unit: 'kg' },
  mandatoryVerification: true,
  validFrom: d('2024-01-01'),
  validUntil: d('2028-12-31'),
  ...over,
});
const scale = (over: Partial<Equipment> = {}): Equipment => ({
  id: 'scale-1',
  ownerId: 'market',
  name: 'platform scale',
  assetCode: null,
  serialNumber: null,
  manufacturer: null,
  model: null,
  quantity: 'mass',
  range: { min: n('0.2'), max: n('30'), unit: 'kg' },
  accuracy: { kind: 'class', accuracyClass: 'III' },
  level: 'working_instrument',
  category: null,
  usage: 'trade_settlement',
  status: 'in_service',
  assessment: null,
  realisation: null,
  ...over,
});
const verification = (performedOn: string): CalibrationRecord => ({
  id: 'r',
  kind: 'verification',
  subjectId: 'scale-1',
  labId: 'nim-sh',
  referenceIds: [],
  certificateNo: 'C-1',
  performedOn: d(performedOn),
  validUntil: null,
  conformity: 'pass',
  points: [],
  supersedes: null,
  remarks: null,
});

test('a range whose lower bound lies above its upper one is refused at its min; open bounds are fine', () => {
  assert.equal(
    refusal(() => checkRange({ min: n('10'), max: n('9.99'), unit: 'kg' }, '/range')),
    ['INVALID_RANGE', '/range/min'],
  );
  assert.is(
    refusal(() => checkRange({ min: n('10'), max: n('10'), unit: 'kg' }, '/range')),
    null,
  );
  assert.is(
    refusal(() => checkRange({ min: n('10'), max: null, unit: 'kg' }, '/range')),
    null,
  );
  assert.is(
    refusal(() => checkRange(null, '/range')),
    null,
  );
});

test('a scope belongs to a registered institute or calibration lab, with a range and dates in order', () => {
  assert.is(
    refusal(() => checkScope(scope(), lab)),
    null,
  );
  assert.is(
    refusal(() => checkScope(scope(), org('nim-sh', 'calibration_lab'))),
    null,
  );
  assert.equal(
    refusal(() => checkScope(scope(), undefined)),
    ['UNKNOWN_REFERENCE', '/labId'],
  );
  assert.equal(
    refusal(() => checkScope(scope(), org('nim-sh', 'enterprise'))),
    ['WRONG_ORGANISATION_KIND', '/labId'],
  );
  assert.equal(
    refusal(() => checkScope(scope({ range: { min: n('5'), max: n('1'), unit: 'kg' } }), lab)),
    ['INVALID_RANGE', '/range/min'],
  );
  assert.equal(
    refusal(() => checkScope(scope({ validUntil: d('2023-12-31') }), lab)),
    ['INVALID_RANGE', '/validUntil'],
  );
  assert.is(
    refusal(() => checkScope(scope({ validUntil: d('2024-01-01') }), lab)),
    null,
    'a one-day scope',
  );
});

test('an authorisation is issued by a registered regulator, when one is named', () => {
  assert.is(
    refusal(() => checkIssuer(null, undefined)),
    null,
  );
  assert.is(
    refusal(() => checkIssuer(undefined, undefined)),
    null,
  );
  assert.is(
    refusal(() => checkIssuer('samr-sh', org('samr-sh', 'regulator'))),
    null,
  );
  assert.equal(
    refusal(() => checkIssuer('samr-sh', undefined)),
    ['UNKNOWN_REFERENCE', '/issuedBy'],
  );
  assert.equal(
    refusal(() => checkIssuer('nim-sh', lab)),
    ['WRONG_ORGANISATION_KIND', '/issuedBy'],
  );
});

test('equipment: a registered owner; assessments for standards only; realisations for primary standards; those held by institutes', () => {
  const owner = org('market', 'enterprise');
  const assessment = { certificateNo: 'A-1', validFrom: d('2022-01-01'), validUntil: d('2026-12-31') };
  assert.is(
    refusal(() => checkEquipment(scale(), owner)),
    null,
  );
  assert.equal(
    refusal(() => checkEquipment(scale(), undefined)),
    ['UNKNOWN_REFERENCE', '/ownerId'],
  );
  assert.equal(
    refusal(() => checkEquipment(scale({ range: { min: n('40'), max: n('30'), unit: 'kg' } }), owner)),
    ['INVALID_RANGE', '/range/min'],
  );
  assert.equal(
    refusal(() => checkEquipment(scale({ assessment }), owner)),
    ['INVALID_FIELD', '/assessment'],
  );
  assert.is(
    refusal(() => checkEquipment(scale({ assessment, level: 'enterprise_highest_standard' }), owner)),
    null,
  );
  assert.equal(
    refusal(() => checkEquipment(scale({ assessment: { ...assessment, validUntil: d('2021-12-31') }, level: 'enterprise_highest_standard' }), owner)),
    ['INVALID_RANGE', '/assessment/validUntil'],
  );
  assert.equal(
    refusal(() => checkEquipment(scale({ realisation: 'kibble balance', level: 'public_highest_standard' }), lab)),
    ['INVALID_FIELD', '/realisation'],
  );
  assert.is(
    refusal(() => checkEquipment(scale({ realisation: 'kibble balance', level: 'national_primary_standard' }), lab)),
    null,
  );
  assert.equal(
    refusal(() => checkEquipment(scale({ level: 'public_highest_standard' }), owner)),
    ['WRONG_ORGANISATION_KIND', '/level'],
  );
});

test('nothing that happened is dated after today; today itself is fine', () => {
  assert.is(
    refusal(() => checkNotFuture(d('2026-12-03'), d('2026-12-03'), '/performedOn', 'the record')),
    null,
  );
  assert.equal(
    refusal(() => checkNotFuture(d('2026-12-04'), d('2026-12-03'), '/performedOn', 'the record')),
    ['DATE_IN_FUTURE', '/performedOn'],
  );
});

test('a mandatory verification needs a scope valid that day, allowing it, covering the instrument and its range', () => {
  const ok = (scopes: LabScope[], on = '2026-06-01', mandatory = true, e = scale()) => refusal(() => checkAuthority(verification(on), e, scopes, mandatory));
  assert.is(ok([scope()]), null);
  assert.is(ok([scope({ range: { min: n('0'), max: n('60000'), unit: 'g' } })]), null, 'a comparable unit');
  assert.is(ok([scope({ range: null })]), null, 'a scope without a range covers every range');
  assert.equal(ok([scope()], '2029-01-01'), ['LAB_NOT_AUTHORISED', '/labId']);
  assert.equal(ok([scope({ mandatoryVerification: false })]), ['LAB_NOT_AUTHORISED', '/labId']);
  assert.equal(ok([scope({ range: { min: n('0'), max: n('20'), unit: 'kg' } })]), ['LAB_NOT_AUTHORISED', '/labId']);
  assert.equal(ok([scope({ quantity: 'length', range: null })]), ['LAB_NOT_AUTHORISED', '/labId']);
  assert.equal(ok([scope({ category: 'MV016' })]), ['LAB_NOT_AUTHORISED', '/labId'], 'a scope of a category covers that category only');
  assert.is(ok([scope({ category: 'MV016' })], '2026-06-01', true, scale({ category: 'MV016' })), null);
  assert.is(ok([], '2026-06-01', false), null, 'not under mandatory verification: no authority needed');
  const why = (scopes: LabScope[], on = '2026-06-01') => {
    try {
      checkAuthority(verification(on), scale(), scopes, true);
    } catch (e) {
      return (e as MetrologyError).message;
    }
    return '';
  };
  assert.match(why([]), /it held no scope valid on that day/);
  assert.match(why([scope({ mandatoryVerification: false })]), /none of its scopes valid that day allows mandatory verification/);
  assert.match(why([scope({ range: { min: n('0'), max: n('20'), unit: 'kg' } })]), /none of its scopes valid that day covers mass over 0\.2–30 kg/);
});

test.run();
