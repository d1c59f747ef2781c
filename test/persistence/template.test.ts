/**
 * A new embedded data directory starts as a copy of a prepared one (the
 * build's migrated template, or the caller's, e.g. the demo); an existing
 * database is never touched by a template (issue 19).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openDb, PGLITE_TEMPLATE, rowsOf } from '../../src/persistence/db.ts';

test('a new directory starts from the template; once it holds a database, the template is not even asked for', async () => {
  assert.ok(existsSync(join(PGLITE_TEMPLATE, 'PG_VERSION')), `${PGLITE_TEMPLATE} is missing: \`npm ci\` (or \`npm run build\`) makes it`);
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-template-'));
  const data = join(dir, 'data');
  try {
    // A file of the user's in the directory (a demo keys file, say) stays.
    writeFileSync(join(dir, 'keep'), 'mine');
    const first = await openDb({ dataDir: data, template: () => PGLITE_TEMPLATE });
    try {
      assert.is(first.startedFrom, PGLITE_TEMPLATE);
      await first.migrate();
      await first.db.execute(sql`create table template_test_marker (x int)`);
    } finally {
      await first.close();
    }
    let asked = 0;
    const again = await openDb({ dataDir: data, template: () => (asked++, PGLITE_TEMPLATE) });
    try {
      assert.is(again.startedFrom, undefined);
      assert.is(asked, 0);
      const [row] = rowsOf<{ present: boolean }>(await again.db.execute(sql`select to_regclass('template_test_marker') is not null as present`));
      assert.ok(row?.present, 'the database kept its own table');
    } finally {
      await again.close();
    }
    assert.ok(existsSync(join(dir, 'keep')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
