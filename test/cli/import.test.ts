/** `metrotrace import` refuses an over-long line by its number, without reading it whole (issue 16, item 8). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('a line over --max-line-mib is refused with its number, exit 2, nothing imported past it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-import-'));
  try {
    const file = join(dir, 'long.jsonl');
    const header = JSON.stringify({ format: 'metrotrace.export', version: 2, exportId: 'long-line', exportedAt: '2026-11-25T00:00:00Z', tables: [] });
    // a well-formed row of 2 MiB: within the old reader's reach, over a 1 MiB limit
    writeFileSync(
      file,
      `${header}\n{"t":"organisations","r":{"id":"x","name":"${'x'.repeat(2 * 2 ** 20)}"}}\n{"end":true,"lines":3,"ledgerHead":{"seq":0,"hash":null}}\n`,
    );
    // its own embedded database, whatever DATABASE_URL the suite runs with (the server's shared database is not empty)
    const { DATABASE_URL: _server, ...inherited } = process.env;
    const env = { ...inherited, METROTRACE_DATA: join(dir, 'data'), METROTRACE_DEMO: '0' };
    const res = spawnSync(process.execPath, ['bin/metrotrace', 'import', file, '--max-line-mib', '1'], { encoding: 'utf8', timeout: 180_000, env });
    assert.is(res.status, 2, res.stderr);
    assert.match(res.stderr, /metrotrace import: line 2: longer than 1,048,576 bytes \(1 MiB, the limit on a line\)/);
    const bad = spawnSync(process.execPath, ['bin/metrotrace', 'import', file, '--max-line-mib', '0'], { encoding: 'utf8', timeout: 180_000, env });
    assert.is(bad.status, 2);
    assert.match(bad.stderr, /--max-line-mib must be a whole number from 1 to 1024/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
