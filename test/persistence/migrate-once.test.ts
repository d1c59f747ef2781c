/**
 * Opening a database that already has every committed migration does not run
 * the migrator again (issue 19); one that lacks the last one, or whose last
 * applied migration is not the committed file, still goes through it.
 */
import type { PGlite } from '@electric-sql/pglite';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { wrapPglite } from '../../src/persistence/db.ts';
import { bareMemoryPglite } from '../helpers/upgrade.ts';

/** A PGlite whose statements outside transactions are recorded. */
function spied(client: PGlite, statements: string[]): PGlite {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'query' || prop === 'exec') {
        return (text: string, ...rest: unknown[]) => {
          statements.push(text);
          return (value as (...a: unknown[]) => unknown).call(target, text, ...rest);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

test('the migrator runs on a new database, then not again while the journal has nothing newer', async () => {
  const client = await bareMemoryPglite();
  try {
    const statements: string[] = [];
    const database = wrapPglite(spied(client, statements));
    await database.migrate();
    assert.ok(
      statements.some((s) => /create schema if not exists/i.test(s)),
      'a new database is migrated',
    );
    statements.length = 0;
    await database.migrate();
    assert.not.ok(
      statements.some((s) => /\b(create|alter|insert|begin)\b/i.test(s)),
      statements.join('\n'),
    );
    assert.ok(statements.length <= 2, statements.join('\n'));

    // Not the committed file (an edited or foreign migration): the migrator decides.
    await client.query(`update drizzle.__drizzle_migrations set hash = 'other' where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
    statements.length = 0;
    await database.migrate();
    assert.ok(statements.some((s) => /create schema if not exists/i.test(s)));
  } finally {
    await client.close();
  }
});

test.run();
