/** The error catalogue and docs/errors.md say the same thing, and no code is left undocumented. */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ERROR_CODES, type ErrorCode } from '../src/core/errors.ts';
import { statusOf } from '../src/http/errors.ts';

const doc = readFileSync('docs/errors.md', 'utf8');
const rows = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));

test('every code is documented with its HTTP status', () => {
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    assert.ok(rows.has(code), `${code} is in docs/errors.md`);
    assert.is(rows.get(code), statusOf(code), `${code}'s status in docs/errors.md`);
  }
});

test('no documented code is stale', () => {
  for (const code of rows.keys()) assert.ok(code in ERROR_CODES, `${code} in docs/errors.md still exists`);
});

test.run();
