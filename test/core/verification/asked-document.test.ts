/** The document looked up by its number, beside the status: whether the status rests on it, and why not. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { documentOf } from '../../../src/core/registry/vocabulary.ts';
import { askedDocument, type NumberedRecord } from '../../../src/core/verification/asked-document.ts';

const rec = (id: string, performedOn: string, over: Partial<NumberedRecord> = {}): NumberedRecord => ({
  id,
  subjectId: 'scale-1',
  kind: 'verification',
  certificateNo: `JD-${id}`,
  certificateKind: 'verification_certificate',
  performedOn: performedOn as CalendarDate,
  supersededBy: null,
  ...over,
});
const basis = (id: string, performedOn: string) => ({ id, performedOn: performedOn as CalendarDate });

test('the record the status rests on is current, whichever else carries the number', () => {
  const a = askedDocument({ number: 'L-1', by: 'certificateNo' }, [rec('r1', '2025-03-10'), rec('r2', '2026-03-12')], basis('r1', '2025-03-10'));
  assert.equal(a, {
    number: 'L-1',
    by: 'certificateNo',
    certificateNo: 'JD-r1',
    certificateKind: 'verification_certificate',
    performedOn: '2025-03-10',
    standing: 'current',
    supersededBy: null,
  });
});

test('an earlier record is replaced; a corrected one is superseded, named by its correction', () => {
  const notice = rec('r1', '2025-03-10', { certificateKind: 'result_notice' });
  assert.is(askedDocument({ number: 'JD-r1', by: 'certificateNo' }, [notice], basis('r2', '2026-03-12'))?.standing, 'replaced');
  const corrected = rec('r1', '2026-03-12', { supersededBy: 'JD-r1-R1' });
  assert.equal(askedDocument({ number: 'JD-r1', by: 'certificateNo' }, [corrected], basis('r1c', '2026-03-12')), {
    number: 'JD-r1',
    by: 'certificateNo',
    certificateNo: 'JD-r1',
    certificateKind: 'verification_certificate',
    performedOn: '2026-03-12',
    standing: 'superseded',
    supersededBy: 'JD-r1-R1',
  });
});

test('a later record the status does not rest on, or a status that rests on none, is not the basis', () => {
  const calibration = rec('c1', '2026-06-01', { kind: 'calibration', certificateKind: 'calibration_certificate' });
  assert.is(askedDocument({ number: 'JD-c1', by: 'certificateNo' }, [calibration], basis('r2', '2026-03-12'))?.standing, 'not_the_basis');
  assert.is(askedDocument({ number: 'JD-c1', by: 'certificateNo' }, [calibration], null)?.standing, 'not_the_basis');
});

test('of several records carrying a label number, the latest is the one described; none: nothing to say', () => {
  const a = askedDocument({ number: 'L-9', by: 'certificateNo' }, [rec('r2', '2026-03-12'), rec('r1', '2025-03-10')], basis('r3', '2026-09-01'));
  assert.equal([a?.certificateNo, a?.standing], ['JD-r2', 'replaced']);
  assert.is(askedDocument({ number: 'L-9', by: 'certificateNo' }, [], basis('r3', '2026-09-01')), null);
});

test("a record's document: the stated one, else the rule's", () => {
  assert.is(documentOf({ kind: 'verification', conformity: 'fail', certificateKind: null }), 'result_notice');
  assert.is(documentOf({ kind: 'calibration', conformity: null }), 'calibration_certificate');
  assert.is(documentOf({ kind: 'verification', conformity: 'pass', certificateKind: 'verification_certificate' }), 'verification_certificate');
});

test.run();
