/**
 * The contracts of equipment events, out-of-tolerance findings, verification
 * policies, capacities and plan requests, and DCC import requests, read as a
 * data set, the command line and the app's forms read them (readContract and
 * the codec's rules between fields): the same code at the same pointer the
 * HTTP transport gives for the same body.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readImportRequest } from '../../../src/codecs/dcc-request.ts';
import { readEvent } from '../../../src/codecs/events.ts';
import { toRejectionReason } from '../../../src/codecs/filed-certificate.ts';
import { readToleranceFinding } from '../../../src/codecs/traceability.ts';
import { readCapacity, readPlanRequest, readPolicy } from '../../../src/codecs/verification.ts';
import { refusal } from '../../helpers/refusal.ts';

const ids = () => {
  let n = 0;
  return () => `id-${++n}`;
};

test('an equipment event: its structure from the contract, the fields of each kind from the codec', () => {
  const ev = (raw: unknown) => () => readEvent(raw, 'scale-1', ids());
  assert.equal(readEvent({ kind: 'relocated', effectiveOn: '2026-11-20', location: ' stall 18 ', reason: '  ' }, 'scale-1', ids()), {
    id: 'id-1',
    equipmentId: 'scale-1',
    kind: 'relocated',
    effectiveOn: '2026-11-20',
    reason: null,
    assessment: null,
    newOwnerId: null,
    location: 'stall 18',
  });
  assert.equal(refusal(ev({ kind: 'nope', effectiveOn: '2026-11-20' })), ['INVALID_FIELD', '/kind']);
  assert.equal(refusal(ev({ effectiveOn: '2026-11-20' })), ['MISSING_FIELD', '/kind']);
  assert.equal(refusal(ev({ kind: 'resumed', effectiveOn: '2026-02-30' })), ['INVALID_DATE', '/effectiveOn']);
  assert.equal(refusal(ev({ kind: 'resumed', effectiveOn: '2026-11-20', colour: 'red' })), ['UNKNOWN_FIELD', '/colour']);
  assert.equal(refusal(ev({ kind: 'suspended', effectiveOn: '2026-11-20', reason: '' })), ['INVALID_FIELD', '/reason']);
  assert.equal(refusal(ev({ kind: 'suspended', effectiveOn: '2026-11-20', location: 'here' })), ['INVALID_FIELD', '/location']);
  assert.equal(refusal(ev({ kind: 'resumed', effectiveOn: '2026-11-20', newOwnerId: 'org-2' })), ['INVALID_FIELD', '/newOwnerId']);
  assert.equal(refusal(ev({ kind: 'assessment_renewed', effectiveOn: '2026-11-20', assessment: { certificateNo: 'A-1', validFrom: '2026-01-01' } })), [
    'MISSING_FIELD',
    '/assessment/validUntil',
  ]);
  assert.equal(
    refusal(
      ev({ kind: 'assessment_renewed', effectiveOn: '2026-11-20', assessment: { certificateNo: 'A-1', validFrom: '2026-01-01', validUntil: '2030-02-30' } }),
    ),
    ['INVALID_DATE', '/assessment/validUntil'],
  );
});

test('an out-of-tolerance finding: the last known good day is not after the finding', () => {
  const f = (raw: unknown) => () => readToleranceFinding(raw, 'std-1', ids());
  assert.equal(readToleranceFinding({ foundOn: '2026-11-10', lastKnownGood: '2025-12-31', remarks: null }, 'std-1', ids()), {
    id: 'id-1',
    equipmentId: 'std-1',
    foundOn: '2026-11-10',
    lastKnownGood: '2025-12-31',
    remarks: null,
  });
  assert.equal(refusal(f({ foundOn: '2026-11-10', lastKnownGood: '2026-12-31' })), ['INVALID_RANGE', '/lastKnownGood']);
  assert.equal(refusal(f({ foundOn: '2026-11-10' })), ['MISSING_FIELD', '/lastKnownGood']);
  assert.equal(refusal(f({ foundOn: '2026-11-31', lastKnownGood: '2025-12-31' })), ['INVALID_DATE', '/foundOn']);
  assert.equal(refusal(f({ foundOn: '2026-11-10', lastKnownGood: '2025-12-31', remarks: '' })), ['INVALID_FIELD', '/remarks']);
});

test('policies, capacities and plan requests', () => {
  const policy = { regulatorId: 'city-samr', category: 'MV016', validFrom: '2027-01-01', validUntil: '2027-12-31' };
  assert.is(readPolicy({ ...policy, graceDays: 0 }, ids()).graceDays, 0);
  assert.equal(
    refusal(() => readPolicy(policy, ids())),
    ['MISSING_FIELD', ''],
  );
  assert.equal(
    refusal(() => readPolicy({ ...policy, category: 'MV16', graceDays: 1 }, ids())),
    ['INVALID_FIELD', '/category'],
  );
  assert.equal(
    refusal(() => readPolicy({ ...policy, intervalMonths: 0 }, ids())),
    ['INVALID_FIELD', '/intervalMonths'],
  );
  assert.equal(
    refusal(() => readPolicy({ ...policy, intervalMonths: 1.5 }, ids())),
    ['INVALID_FIELD', '/intervalMonths'],
  );
  const capacity = { labId: 'district-station', category: 'MV016', monthly: 5, validFrom: '2027-01-01', validUntil: '2027-12-31' };
  assert.is(readCapacity(capacity, ids()).monthly, 5);
  assert.equal(
    refusal(() => readCapacity({ ...capacity, validUntil: '2026-12-31' }, ids())),
    ['INVALID_RANGE', '/validUntil'],
  );
  assert.equal(
    refusal(() => readCapacity({ ...capacity, monthly: -1 }, ids())),
    ['INVALID_FIELD', '/monthly'],
  );
  assert.equal(readPlanRequest({ from: '2026-12-01', months: 3, regionCode: null }, ids()), {
    id: 'id-1',
    from: '2026-12-01',
    months: 3,
    regionCode: null,
    category: null,
  });
  assert.equal(
    refusal(() => readPlanRequest({ from: '2026-12-01', months: 0 }, ids())),
    ['INVALID_FIELD', '/months'],
  );
  assert.equal(
    refusal(() => readPlanRequest({ from: '2026-12-01', months: 3, regionCode: '31' }, ids())),
    ['INVALID_FIELD', '/regionCode'],
  );
  assert.equal(
    refusal(() => readPlanRequest({ from: '2026-02-30', months: 3 }, ids())),
    ['INVALID_DATE', '/from'],
  );
});

test('a DCC import request and its sidecar; a rejection says why', () => {
  const sidecar = {
    format: 'metrotrace.dcc-sidecar/1',
    certificateNo: 'C-1',
    relativeStandardUncertainty: '0.001',
    components: [{ influence: 'a', equipmentId: 'e', component: '-0.0005' }],
  };
  const request = { xml: '<dcc/>', subjectId: 'std-1', labId: 'lab-1' };
  const read = readImportRequest({ ...request, sidecar, validUntil: '2027-03-09' });
  assert.equal(
    [read.validUntil, read.id, read.sidecar?.components[0]?.level, read.sidecar?.components[0]?.component.toString()],
    ['2027-03-09', null, null, '-0.0005'],
  );
  const r = (raw: unknown) => () => readImportRequest(raw);
  assert.equal(refusal(r({ ...request, xml: '' })), ['INVALID_FIELD', '/xml']);
  assert.equal(refusal(r({ ...request, validUntil: '2027-02-30' })), ['INVALID_DATE', '/validUntil']);
  assert.equal(refusal(r({ ...request, sidecar: { ...sidecar, format: 'other/2' } })), ['INVALID_FIELD', '/sidecar/format']);
  try {
    readImportRequest({ ...request, sidecar: { ...sidecar, format: 'other/2' } });
  } catch (e) {
    assert.is((e as Error).message, 'the sidecar format is "metrotrace.dcc-sidecar/1", not "other/2"');
  }
  assert.equal(refusal(r({ ...request, sidecar: { ...sidecar, relativeStandardUncertainty: 0.1 } })), ['JSON_NUMBER', '/sidecar/relativeStandardUncertainty']);
  assert.equal(refusal(r({ ...request, sidecar: { ...sidecar, relativeStandardUncertainty: '-0.1' } })), [
    'NEGATIVE_UNCERTAINTY',
    '/sidecar/relativeStandardUncertainty',
  ]);
  assert.equal(refusal(r({ ...request, sidecar: { ...sidecar, components: [sidecar.components[0], sidecar.components[0]] } })), [
    'DUPLICATE',
    '/sidecar/components/1/influence',
  ]);
  assert.is(toRejectionReason({ reason: '  not ours ' }), 'not ours');
  assert.equal(
    refusal(() => toRejectionReason({ reason: '   ' })),
    ['MISSING_FIELD', '/reason'],
  );
});

test.run();
