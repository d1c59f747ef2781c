/** A DCC import request: the document, its sidecar read under /sidecar, the validity a real date, absent fields null. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readImportRequest, toImportRequest } from '../../src/codecs/dcc-request.ts';
import { refusal } from '../helpers/refusal.ts';

const sidecar = {
  format: 'metrotrace.dcc-sidecar/1' as const,
  certificateNo: 'DCC-1',
  relativeStandardUncertainty: '0.00001',
  components: [{ influence: 'cal:r-1', equipmentId: 'w-1', component: '0.00001' }],
};

const it = suite('DCC import request');

it('the least request: the document, the equipment and the lab; the rest null', () => {
  assert.equal(readImportRequest({ xml: '<dcc/>', subjectId: 'scale-1', labId: 'lab-1' }), {
    xml: '<dcc/>',
    sidecar: null,
    subjectId: 'scale-1',
    labId: 'lab-1',
    validUntil: null,
    id: null,
  });
});

it('the whole request: the sidecar read, the validity and the id kept', () => {
  const r = toImportRequest({ xml: '<dcc/>', subjectId: 'scale-1', labId: 'lab-1', validUntil: '2027-11-19', id: 'r-1', sidecar });
  assert.is(r.validUntil, '2027-11-19');
  assert.is(r.id, 'r-1');
  assert.is(r.sidecar?.certificateNo, 'DCC-1');
  assert.is(r.sidecar?.components[0]?.component.toString(), '0.00001');
  assert.is(r.sidecar?.components[0]?.level, null);
});

it('refusals at their pointers: an impossible date, a sidecar breaking its rules, the contract', () => {
  assert.equal(
    refusal(() => readImportRequest({ xml: '<dcc/>', subjectId: 's', labId: 'l', validUntil: '2027-02-30' })),
    ['INVALID_DATE', '/validUntil'],
  );
  assert.equal(
    refusal(() => readImportRequest({ xml: '<dcc/>', subjectId: 's', labId: 'l', sidecar: { ...sidecar, relativeStandardUncertainty: '-1' } })),
    ['NEGATIVE_UNCERTAINTY', '/sidecar/relativeStandardUncertainty'],
  );
  assert.equal(refusal(() => readImportRequest({ xml: '', subjectId: 's', labId: 'l' }))[1], '/xml');
  assert.equal(
    refusal(() => readImportRequest({ xml: '<dcc/>', labId: 'l' })),
    ['MISSING_FIELD', '/subjectId'],
  );
  assert.equal(refusal(() => readImportRequest({ xml: '<dcc/>', subjectId: 'bad id', labId: 'l' }))[1], '/subjectId');
});

it.run();
