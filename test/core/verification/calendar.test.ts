/** The calendar of due dates read on one day: what is shown, on which day, since when, in which order; worked out by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { calendarEntries, type CalendarInput, type StandardValidity } from '../../../src/core/verification/calendar.ts';
import type { VerificationState, VerificationStatus } from '../../../src/core/verification/status.ts';

const d = (s: string) => s as CalendarDate;
const at = d('2026-12-03');

/** What the calendar reads of a status: its state, due date, record and the catalogue form. */
const due = (equipmentId: string, state: VerificationState, dueOn: string | null, form = 'periodic') => ({
  name: `name of ${equipmentId}`,
  assetCode: null,
  status: {
    equipmentId,
    state,
    dueOn: dueOn === null ? null : d(dueOn),
    record: { kind: 'verification', conformity: 'pass', certificateNo: `C-${equipmentId}` },
    classification: { entry: { form } },
  } as unknown as VerificationStatus,
});
const standard = (id: string, validUntil: string | null, assessmentUntil: string | null = null): StandardValidity => ({
  equipment: { id, name: `standard ${id}`, assetCode: `A-${id}` },
  certificateNo: validUntil === null ? null : `CAL-${id}`,
  validUntil: validUntil === null ? null : d(validUntil),
  assessment: assessmentUntil === null ? null : { certificateNo: `ASSESS-${id}`, validFrom: d('2022-01-01'), validUntil: d(assessmentUntil) },
});
const read = (input: Partial<CalendarInput>) => calendarEntries({ at, horizonDays: 30, due: [], standards: [], ...input });
const brief = (entries: ReturnType<typeof calendarEntries>) => entries.map((e) => [e.kind, e.equipmentId, e.on, e.since]);

test('due dates within the horizon fall on their day; beyond it, nothing', () => {
  const entries = read({ due: [due('a', 'due_soon', '2026-12-20'), due('b', 'in_force', '2027-01-02'), due('c', 'in_force', '2027-01-03')] });
  // the horizon ends 30 days after 2026-12-03: 2027-01-02, that day included
  assert.equal(brief(entries), [
    ['verification_due', 'a', '2026-12-20', null],
    ['verification_due', 'b', '2027-01-02', null],
  ]);
  assert.is(entries[0]!.uid, 'a/due/2026-12-20');
  assert.is(entries[0]!.certificateNo, 'C-a');
});

test('a limited-life instrument is to be replaced on its day, not verified', () => {
  const [e] = read({ due: [due('m', 'in_force', '2026-12-31', 'initial_then_replace')] });
  assert.equal([e!.kind, e!.uid], ['replacement_due', 'm/replace/2026-12-31']);
});

test('what may not be used is shown on the day read, since the day after its due date when it had one', () => {
  const entries = read({ due: [due('late', 'overdue', '2026-11-30'), due('never', 'never_verified', null), due('today', 'failed', '2026-12-03')] });
  assert.equal(brief(entries), [
    ['not_usable', 'late', '2026-12-03', '2026-12-01'],
    ['not_usable', 'never', '2026-12-03', null],
    ['not_usable', 'today', '2026-12-03', null],
  ]);
  assert.is(entries[0]!.uid, 'late/not-usable');
});

test("a standard's certificate and 考核证书 end on their day, or are shown today since the day after, once lapsed", () => {
  const entries = read({ standards: [standard('s1', '2026-12-10', '2026-11-24'), standard('s2', null, '2027-06-30'), standard('s3', '2027-02-01')] });
  assert.equal(brief(entries), [
    ['assessment_ends', 's1', '2026-12-03', '2026-11-25'],
    ['certificate_ends', 's1', '2026-12-10', null],
  ]);
  assert.equal(
    entries.map((e) => [e.uid, e.certificateNo]),
    [
      ['s1/assessment/ASSESS-s1', 'ASSESS-s1'],
      ['s1/certificate/CAL-s1', 'CAL-s1'],
    ],
  );
});

test('entries come by date, then by uid, whatever order they were given in', () => {
  const entries = read({
    due: [due('z', 'in_force', '2026-12-05'), due('b', 'in_force', '2026-12-05'), due('x', 'overdue', '2026-11-01')],
    standards: [standard('a', '2026-12-04')],
  });
  assert.equal(
    entries.map((e) => e.uid),
    ['x/not-usable', 'a/certificate/CAL-a', 'b/due/2026-12-05', 'z/due/2026-12-05'],
  );
});

test.run();
