/** A certificate filed by its owner: pending until the lab it names, or an admin, decides once. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Caller } from '../../../src/core/access/roles.ts';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { MetrologyError } from '../../../src/core/errors.ts';
import { checkFiledDecider, type FiledCertificate, type FiledDecision, filedState } from '../../../src/core/registry/filed-certificate.ts';

const filed = (decision: FiledDecision | null = null): FiledCertificate => ({
  id: 'f1',
  subjectId: 'scale-1',
  labId: 'acme-cal',
  certificateNo: 'DCC-7',
  performedOn: '2026-11-02' as CalendarDate,
  filedBy: 'market',
  filedByKey: 'k-owner',
  filedAt: '2026-11-03T08:00:00Z',
  request: {},
  unmapped: [],
  decision,
});
const confirmed: FiledDecision = {
  decision: 'confirmed',
  recordId: 'r9',
  decidedByKey: 'k',
  decidedByOrganisation: 'acme-cal',
  decidedAt: '2026-11-05T10:00:00Z',
};
const rejected: FiledDecision = {
  decision: 'rejected',
  reason: 'not ours',
  decidedByKey: 'k',
  decidedByOrganisation: 'acme-cal',
  decidedAt: '2026-11-06T10:00:00Z',
};
const key = (role: 'admin' | 'lab' | 'owner', organisationId: string | null): Caller => ({ kind: 'key', keyId: 'k', role, organisationId });
const refusal = (f: () => void) => {
  try {
    f();
    return null;
  } catch (e) {
    assert.instance(e, MetrologyError);
    return [(e as MetrologyError).code, (e as MetrologyError).message];
  }
};

test('pending until decided, then what was decided', () => {
  assert.equal([filed(), filed(confirmed), filed(rejected)].map(filedState), ['pending', 'confirmed', 'rejected']);
});

test('only the lab it names, or an admin, decides', () => {
  assert.is(
    refusal(() => checkFiledDecider(key('lab', 'acme-cal'), filed())),
    null,
  );
  assert.is(
    refusal(() => checkFiledDecider(key('admin', null), filed())),
    null,
  );
  for (const caller of [key('lab', 'other-cal'), key('owner', 'market'), { kind: 'public' } as Caller]) {
    assert.is(refusal(() => checkFiledDecider(caller, filed()))![0], 'FORBIDDEN');
  }
  assert.match(refusal(() => checkFiledDecider(key('owner', 'market'), filed()))![1]!, /^an owner key of 'market' may not decide on certificate 'DCC-7'/);
});

test('a decision is final, and the refusal says what it was and on which day', () => {
  assert.equal(
    refusal(() => checkFiledDecider(key('admin', null), filed(confirmed))),
    [
      'ALREADY_DECIDED',
      "filed certificate 'f1' (DCC-7) was already confirmed as record 'r9' on 2026-11-05; a decision is final — file the certificate again if it was rejected in error",
    ],
  );
  assert.match(refusal(() => checkFiledDecider(key('lab', 'acme-cal'), filed(rejected)))![1]!, /already rejected \(not ours\) on 2026-11-06/);
});

test.run();
