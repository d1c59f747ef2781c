/**
 * The scope and CMC registers' columns (codecs/scope-register.ts): distinct
 * headers in both languages, every column's pointer a field of the API (or
 * of its amendment), a row parted into the lab, the change's date and the
 * body the API reads, and docs/import.md listing every column.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CMC_TABLE, declarationRowJson, SCOPE_TABLE } from '../../src/codecs/scope-register.ts';
import { columnOfTablePointer, headerKey, matchTableHeader, type RegisterColumn } from '../../src/codecs/register-table.ts';

test('every column has distinct English and Chinese headers and a pointer of its own', () => {
  for (const table of [SCOPE_TABLE, CMC_TABLE]) {
    const keys = table.columns.flatMap((c) => [headerKey(c.en), headerKey(c.zh), ...(c.aliases ?? []).map(headerKey)]);
    // a column's English header may equal its key (Quantity, quantity); no header names two columns
    const owners = new Map<string, string>();
    for (const c of table.columns)
      for (const k of [headerKey(c.en), headerKey(c.zh), ...(c.aliases ?? []).map(headerKey)]) {
        assert.ok(!owners.has(k) || owners.get(k) === c.key, `${table.kind}: header ${k} names ${owners.get(k)} and ${c.key}`);
        owners.set(k, c.key);
      }
    assert.ok(keys.length > 0);
    for (const c of table.columns) assert.is(columnOfTablePointer(table, c.pointer), c, c.key);
    // a problem of an amendment's kind is shown under its effective date; of the range as a whole under its unit
    assert.is(columnOfTablePointer(table, '/kind')!.key, 'effectiveFrom');
    assert.is(columnOfTablePointer(table, '/range')!.key, 'range.unit');
  }
});

test('a row parted as the API takes it: the lab (a path parameter there) and the change apart, yes/no as a boolean, blank cells left out', () => {
  const m = matchTableHeader(SCOPE_TABLE, ['授权项目ID', '被测量', '强制检定授权', '有效期起', '变更生效日期', '变更原因', '测量范围下限', '测量范围单位']);
  assert.equal(m.problems, []);
  const cells = (values: string[]) => new Map(m.columns.map((c, i) => [c!, values[i]!] as [RegisterColumn, string]));
  const row = declarationRowJson(cells(['s-1', '质量', '是', '2025-01-01', '2026-01-01', '换证', '', 'kg']), { labId: 'acme-cal' });
  assert.equal(row, {
    labId: 'acme-cal',
    effectiveFrom: '2026-01-01',
    reason: '换证',
    body: { id: 's-1', quantity: 'mass', mandatoryVerification: true, validFrom: '2025-01-01', range: { unit: 'kg' } },
  });
  assert.is(declarationRowJson(cells(['', 'mass', 'FALSE', '', '', '', '', ''])).body['mandatoryVerification'], false);
  // anything else is left as written, for the API to refuse
  assert.is(declarationRowJson(cells(['', 'mass', 'maybe', '', '', '', '', ''])).body['mandatoryVerification'], 'maybe');
  assert.is(declarationRowJson(cells(['', 'mass', '', '', '', '', '', ''])).labId, null);
});

test('docs/import.md lists every scope and CMC column with both headers, whether it is required and its example', () => {
  const doc = readFileSync('docs/import.md', 'utf8');
  for (const c of [...SCOPE_TABLE.columns, ...CMC_TABLE.columns]) {
    const says = (l: string) =>
      l.startsWith(`| ${c.en} | ${c.zh}`) &&
      l.includes(`| ${c.note} |`) &&
      l.includes(`| ${c.required} |`) &&
      (c.example === '' || l.includes(`\`${c.example}\``));
    assert.ok(doc.split('\n').some(says), `docs/import.md has the row of ${c.en} / ${c.zh}, saying it as the columns do`);
  }
});

test.run();
