/**
 * iCalendar (RFC 5545) for the calendar feeds of due dates: every calendar
 * application (Outlook, Apple and Google Calendar, Thunderbird, DingTalk,
 * WeCom) subscribes to one by URL. All-day events, text escaped (§3.3.11),
 * lines folded at 75 octets without splitting a character (§3.1), CRLF line
 * ends, a reminder a week before each date still to come. No METHOD: a
 * subscribed feed is not an iTIP message (RFC 5546), and METHOD asks for one.
 */
import { addDays, type CalendarDate } from '../core/dates.ts';
import type { CalendarEntry, CalendarEntryKind } from '../core/verification/calendar.ts';
import { VERIFICATION_STATES } from '../core/verification/status.ts';

const SUMMARY: Readonly<Record<CalendarEntryKind, string>> = {
  verification_due: '检定到期',
  replacement_due: '使用期满应更换',
  not_usable: '不得使用',
  certificate_ends: '标准器证书到期',
  assessment_ends: '计量标准考核证书到期',
};

const DESCRIPTION: Readonly<Record<CalendarEntryKind, string>> = {
  verification_due: 'The verification falls due: have the instrument verified by this day (mandatory verification).',
  replacement_due: 'Its limited service life ends (首次强制检定，限期使用): replace the instrument by this day; no verification extends it.',
  not_usable: 'The instrument may not be used today.',
  certificate_ends: "The standard's certificate ends: calibrate or verify it before results rely on it.",
  assessment_ends: "The standard's assessment certificate (计量标准考核证书) ends: apply for its renewal in time.",
};

/** TEXT as RFC 5545 §3.3.11 escapes it. */
export function icsText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** One content line folded into lines of at most 75 octets (RFC 5545 §3.1), never inside a UTF-8 character. */
export function icsFold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const cp = ch.codePointAt(0)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (octets + n > 75) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += n;
  }
  parts.push(current);
  return parts.join('\r\n');
}

/** What has already lapsed is said as lapsed, with what follows from it, not as a date still to meet. */
const LAPSED: Partial<Readonly<Record<CalendarEntryKind, { readonly summary: string; readonly description: string }>>> = {
  certificate_ends: {
    summary: '标准器证书已过期',
    description:
      "The standard's certificate has lapsed: calibrate or verify it before any result relies on it again, and review what relied on it since (its impact list: GET /v1/equipment/{id}/dependents, metrotrace impact).",
  },
  assessment_ends: {
    summary: '计量标准考核证书已过期',
    description:
      "The standard's assessment certificate (计量标准考核证书) has lapsed: verifications performed with it are refused (ASSESSMENT_EXPIRED) until it is renewed.",
  },
};

const icsDate = (d: CalendarDate) => d.replace(/-/g, '');

export interface CalendarMeta {
  /** The calendar's name as applications show it. */
  readonly name: string;
  /** The instant the calendar was made (ISO 8601), each event's DTSTAMP. */
  readonly stamp: string;
  /** The host part of each event's UID (RFC 5545 §3.8.4.7 asks for one that is globally unique). */
  readonly host: string;
  /** Where a person reads the entry's instrument on the public lookup page (none: no URL). */
  readonly lookupUrl?: ((entry: CalendarEntry) => string | null) | undefined;
}

export function writeCalendar(entries: readonly CalendarEntry[], meta: CalendarMeta): string {
  const stamp = meta.stamp.replace(/[-:]/g, '').replace(/\.\d+/, '');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//metrotrace//due dates//ZH',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${icsText(meta.name)}`,
    'X-PUBLISHED-TTL:PT6H',
    'REFRESH-INTERVAL;VALUE=DURATION:PT6H',
  ];
  for (const e of entries) {
    const what = `${e.name}${e.assetCode ? ` (${e.assetCode})` : ''}`;
    const lapsed = e.since === null ? undefined : LAPSED[e.kind];
    const summary = lapsed?.summary ?? SUMMARY[e.kind];
    const details = [
      lapsed?.description ?? DESCRIPTION[e.kind],
      e.state === null ? null : `状态 state: ${e.state} — ${VERIFICATION_STATES[e.state]}`,
      e.since === null ? null : `自 since ${e.since} (the first day it was no longer valid)`,
      e.certificateNo === null ? null : `证书编号 certificate: ${e.certificateNo}`,
      `equipment: ${e.equipmentId}`,
    ].filter((x): x is string => x !== null);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${icsText(e.uid)}@${meta.host}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icsDate(e.on)}`,
      `DTEND;VALUE=DATE:${icsDate(addDays(e.on, 1))}`,
      `SUMMARY:${icsText(`${summary} · ${what}`)}`,
      `DESCRIPTION:${icsText(details.join('\n'))}`,
      'TRANSP:TRANSPARENT',
    );
    const url = meta.lookupUrl?.(e) ?? null;
    if (url !== null) lines.push(`URL:${url}`);
    // a reminder only before a date still to come; what has lapsed is shown today, without one
    if (e.since === null && e.kind !== 'not_usable')
      lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-P7D', `DESCRIPTION:${icsText(`${summary} · ${what}`)}`, 'END:VALARM');
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(icsFold).join('\r\n') + '\r\n';
}
