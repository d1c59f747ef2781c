/**
 * The registry's "today": China Standard Time without the time-zone database
 * gives the date Intl gives, at every hour and across the day boundary.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dateIn } from '../../src/runtime/ambient.ts';

const viaIntl = (zone: string, instant: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);

test('Asia/Shanghai and UTC by fixed offset agree with Intl, hour by hour through 2026 and at 16:00 UTC', () => {
  for (const zone of ['Asia/Shanghai', 'UTC']) {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000 * 7 + 60_000 * 13) {
      const instant = new Date(t);
      assert.is(dateIn(zone, instant), viaIntl(zone, instant), `${zone} ${instant.toISOString()}`);
    }
  }
  assert.is(dateIn('Asia/Shanghai', new Date('2026-12-02T15:59:59Z')), '2026-12-02');
  assert.is(dateIn('Asia/Shanghai', new Date('2026-12-02T16:00:00Z')), '2026-12-03');
});

test('another zone goes through Intl', () => {
  const instant = new Date('2026-03-29T00:30:00Z');
  assert.is(dateIn('America/New_York', instant), '2026-03-28');
  assert.is(dateIn('Europe/Berlin', instant), '2026-03-29');
});

test.run();
