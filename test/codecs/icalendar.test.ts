/** iCalendar writing (RFC 5545): escaping, folding at 75 octets without splitting a character, and a calendar an independent parser reads back. */
import ICAL from 'ical.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { icsFold, icsText, writeCalendar } from '../../src/codecs/icalendar.ts';
import { calendarEntries } from '../../src/core/verification/calendar.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { VerificationStatus } from '../../src/core/verification/status.ts';

const it = suite('iCalendar');
const d = (s: string) => s as CalendarDate;

it('text escapes backslash, semicolon, comma and line breaks', () => {
  assert.is(icsText('a\\b;c,d\ne\r\nf'), 'a\\\\b\\;c\\,d\\ne\\nf');
});

it('folds at 75 octets, never inside a UTF-8 character, and unfolds to the same line', () => {
  const line = `SUMMARY:${'检定到期'.repeat(20)}x`;
  const folded = icsFold(line);
  const parts = folded.split('\r\n');
  assert.ok(parts.length > 1);
  for (const p of parts) assert.ok(Buffer.byteLength(p, 'utf8') <= 75, `${Buffer.byteLength(p, 'utf8')} octets`);
  for (const p of parts.slice(1)) assert.ok(p.startsWith(' '));
  assert.is(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join(''), line);
  assert.is(icsFold('short'), 'short');
});

it('entries: not usable today, due on their date within the horizon, standards by their certificates', () => {
  const status = (equipmentId: string, state: VerificationStatus['state'], dueOn: string | null, form = 'periodic') =>
    ({
      equipmentId,
      state,
      dueOn,
      record: { kind: 'verification', conformity: 'pass', certificateNo: `C-${equipmentId}` },
      classification: { mandatory: true, entry: { form } },
    }) as unknown as VerificationStatus;
  const entries = calendarEntries({
    at: d('2026-11-25'),
    horizonDays: 30,
    due: [
      { status: status('a', 'overdue', '2026-10-01'), name: 'A', assetCode: 'A-1' },
      { status: status('b', 'due_soon', '2026-12-10'), name: 'B', assetCode: null },
      { status: status('c', 'in_force', '2027-06-01'), name: 'C', assetCode: null },
      { status: status('w', 'due_soon', '2026-12-15', 'initial_then_replace'), name: 'Water meter', assetCode: null },
    ],
    standards: [
      {
        equipment: { id: 's', name: 'S, std; 1', assetCode: null },
        certificateNo: 'K-1',
        validUntil: d('2026-11-01'),
        assessment: { certificateNo: '[2020]国量标沪证字第1号', validFrom: d('2022-12-01'), validUntil: d('2026-12-20') },
      },
    ],
  });
  assert.equal(
    entries.map((e) => [e.uid, e.on, e.since]),
    [
      ['a/not-usable', '2026-11-25', '2026-10-02'],
      ['s/certificate/K-1', '2026-11-25', '2026-11-02'],
      ['b/due/2026-12-10', '2026-12-10', null],
      ['w/replace/2026-12-15', '2026-12-15', null],
      ['s/assessment/[2020]国量标沪证字第1号', '2026-12-20', null],
    ],
  );
  const ics = writeCalendar(entries, { name: 'test calendar · 到期', stamp: '2026-11-25T08:00:00.123Z', host: 'metrotrace.example' });
  assert.ok(ics.endsWith('\r\n') && !/[^\r]\n/.test(ics), 'CRLF line ends only');
  const cal = new ICAL.Component(ICAL.parse(ics));
  assert.is(cal.getFirstPropertyValue('x-wr-calname'), 'test calendar · 到期');
  const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  assert.equal(
    events.map((e) => [e.uid, e.startDate.toString(), e.endDate.toString()]),
    [
      ['a/not-usable@metrotrace.example', '2026-11-25', '2026-11-26'],
      ['s/certificate/K-1@metrotrace.example', '2026-11-25', '2026-11-26'],
      ['b/due/2026-12-10@metrotrace.example', '2026-12-10', '2026-12-11'],
      ['w/replace/2026-12-15@metrotrace.example', '2026-12-15', '2026-12-16'],
      ['s/assessment/[2020]国量标沪证字第1号@metrotrace.example', '2026-12-20', '2026-12-21'],
    ],
  );
  assert.is(events[1]!.summary, '标准器证书已过期 · S, std; 1', 'a lapsed certificate is said as lapsed');
  assert.match(events[1]!.description, /impact list/);
  assert.is(events[4]!.summary, '计量标准考核证书到期 · S, std; 1');
  assert.match(events[0]!.description, /since 2026-10-02/, 'the first day it was no longer valid');
  const alarms = cal.getAllSubcomponents('vevent').map((v) => v.getAllSubcomponents('valarm').length);
  assert.equal(alarms, [0, 0, 1, 1, 1], 'a reminder only before a date still to come');
  assert.match(events[3]!.summary, /^使用期满应更换 · Water meter/, 'a limited-life instrument is replaced, not verified');
  assert.not.match(ics, /METHOD:/, 'a subscribed feed is not an iTIP message');
  assert.is(cal.getAllSubcomponents('vevent')[0]!.getFirstPropertyValue('dtstamp')!.toString(), '2026-11-25T08:00:00Z');
});

it.run();
