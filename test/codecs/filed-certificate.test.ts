/** A filed certificate on the wire: its state from its one decision, each decision's own fields; a rejection's reason said. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toRejectionReason, writeFiledCertificate } from '../../src/codecs/filed-certificate.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { MetrologyError } from '../../src/core/errors.ts';
import type { FiledCertificate } from '../../src/core/registry/filed-certificate.ts';

const filed = (decision: FiledCertificate['decision']): FiledCertificate => ({
  id: 'f-1',
  subjectId: 'scale-1',
  labId: 'district-station',
  certificateNo: 'XH-JD2026-00317',
  performedOn: '2026-11-20' as CalendarDate,
  filedBy: 'city-market',
  filedByKey: 'k-owner',
  filedAt: '2026-11-21T02:00:00.000Z',
  request: { xml: '<dcc/>' },
  unmapped: ['dcc:statement[2]'],
  decision,
});

const it = suite('filed certificate');

it('a pending filing: no decision, the request not written out', () => {
  const w = writeFiledCertificate(filed(null));
  assert.equal(w, {
    id: 'f-1',
    subjectId: 'scale-1',
    labId: 'district-station',
    certificateNo: 'XH-JD2026-00317',
    performedOn: '2026-11-20',
    filedBy: 'city-market',
    filedByKey: 'k-owner',
    filedAt: '2026-11-21T02:00:00.000Z',
    state: 'pending',
    decision: null,
    unmapped: ['dcc:statement[2]'],
  });
});

it('a confirmed one names its record and no reason; a rejected one its reason and no record', () => {
  const c = writeFiledCertificate(
    filed({ decision: 'confirmed', recordId: 'r-9', decidedByKey: 'k-lab', decidedByOrganisation: 'district-station', decidedAt: '2026-11-22T00:00:00.000Z' }),
  );
  assert.is(c.state, 'confirmed');
  assert.equal(c.decision, {
    decision: 'confirmed',
    recordId: 'r-9',
    reason: null,
    decidedByKey: 'k-lab',
    decidedByOrganisation: 'district-station',
    decidedAt: '2026-11-22T00:00:00.000Z',
  });
  const r = writeFiledCertificate(
    filed({ decision: 'rejected', reason: 'not issued by us', decidedByKey: 'k-admin', decidedByOrganisation: null, decidedAt: 'x' }),
  );
  assert.is(r.state, 'rejected');
  assert.equal(r.decision, {
    decision: 'rejected',
    recordId: null,
    reason: 'not issued by us',
    decidedByKey: 'k-admin',
    decidedByOrganisation: null,
    decidedAt: 'x',
  });
});

it('the unmapped list is a copy', () => {
  const f = filed(null);
  assert.is.not(writeFiledCertificate(f).unmapped, f.unmapped);
});

it('a rejection reason is trimmed; blank is MISSING_FIELD at /reason', () => {
  assert.is(toRejectionReason({ reason: '  numbers do not match our copy \n' }), 'numbers do not match our copy');
  for (const reason of ['', '   ', '\t\n']) {
    try {
      toRejectionReason({ reason });
      assert.unreachable(JSON.stringify(reason));
    } catch (e) {
      assert.instance(e, MetrologyError);
      assert.equal([(e as MetrologyError).code, (e as MetrologyError).path], ['MISSING_FIELD', '/reason']);
    }
  }
});

it.run();
