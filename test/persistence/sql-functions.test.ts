/**
 * The live bodies of the database's functions are kept once, under
 * src/persistence/sql/ (one file per function, the latest definition any
 * migration wrote): in a migrated database every metrotrace_ function has its
 * file and its body (pg_proc.prosrc) is the file's, character for character.
 * And the ledger's kinds come from one source, the core's LEDGER_KINDS: the
 * database gives content (metrotrace_ledger_content_<kind>) for exactly those.
 * On PGlite always, on the PostgreSQL server of DATABASE_URL too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LEDGER_KINDS } from '../../src/core/ledger/chain.ts';
import { rowsOf } from '../../src/persistence/db.ts';
import { testDatabases } from '../helpers/db.ts';

const SQL_DIR = fileURLToPath(new URL('../../src/persistence/sql/', import.meta.url));

/** Each file's function name and body (the text between its dollar quotes). */
function liveBodies(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql'))) {
    const text = readFileSync(join(SQL_DIR, file), 'utf8');
    const m = /create\s+(?:or\s+replace\s+)?function\s+([a-z_0-9]+)\s*\([\s\S]*?\bAS\s+(\$[A-Za-z_]*\$)([\s\S]*?)\2/i.exec(text);
    assert.ok(m, `${file} holds a CREATE FUNCTION with a dollar-quoted body`);
    assert.is(`${m[1]!.toLowerCase()}.sql`, file, 'the file is named after its function');
    out.set(m[1]!.toLowerCase(), m[3]!);
  }
  return out;
}

const it = suite('SQL functions and ledger kinds have one source');

for (const database of testDatabases()) {
  it(`every function's body in the migrated database is its file's, on ${database.name}`, async () => {
    const { db } = await database.open();
    const rows = rowsOf<{ name: string; src: string }>(
      await db.execute(
        sql`select p.proname as name, p.prosrc as src from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = current_schema() and p.proname like 'metrotrace\_%' order by p.proname`,
      ),
    );
    const files = liveBodies();
    assert.ok(rows.length >= 40, `the database has its functions (${rows.length})`);
    assert.equal(
      rows.map((r) => r.name),
      [...new Set(rows.map((r) => r.name))],
      'one definition a name (no overloads left behind)',
    );
    assert.equal(rows.map((r) => r.name).sort(), [...files.keys()].sort(), 'a file for every function, and a function for every file');
    for (const r of rows) assert.fixture(r.src, files.get(r.name)!, `${r.name}: the database's body is src/persistence/sql/${r.name}.sql's`);
  });

  it(`the database gives ledger content for exactly the core's kinds, on ${database.name}`, async () => {
    const { db } = await database.open();
    const kinds = rowsOf<{ kind: string }>(
      await db.execute(
        sql`select substr(p.proname, length('metrotrace_ledger_content_') + 1) as kind from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = current_schema() and p.proname like 'metrotrace\_ledger\_content\_%' order by 1`,
      ),
    )
      .map((r) => r.kind)
      .sort();
    assert.equal(kinds, [...LEDGER_KINDS].sort());
  });
}

it.run();
