/**
 * Migration 0044's notifications, listened for: a committed write to the
 * ledger or the verification policies is told (from another connection too),
 * a rolled-back one is not; on the server, a lost listening connection is
 * told as `watching(false)` at once and listening starts again by itself;
 * stopping says `watching(false)` and nothing after. PGlite always, the
 * PostgreSQL server with DATABASE_URL.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { StatusFactsListener } from '../../src/app/ports.ts';
import { readEvent } from '../../src/codecs/events.ts';
import { openDb, type Database } from '../../src/persistence/db.ts';
import { STATUS_FACTS_CHANNEL, watchPostgres } from '../../src/persistence/status-facts-watch.ts';
import { freshServerDatabase, liveApp } from '../helpers/fresh.ts';
import { inRollback } from '../helpers/db.ts';

/** A listener that writes down what it is told, and can wait for the next thing. */
function recorder(): StatusFactsListener & { readonly told: string[]; next(what: string, ms?: number): Promise<void> } {
  const told: string[] = [];
  let waiting: { what: string; resolve: () => void } | undefined;
  const tell = (what: string) => {
    told.push(what);
    if (waiting?.what === what) waiting.resolve();
  };
  return {
    told,
    changed: () => tell('changed'),
    watching: (up) => tell(up ? 'up' : 'down'),
    next: (what, ms = 5000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not told '${what}' within ${ms} ms; told ${JSON.stringify(told)}`)), ms);
        waiting = {
          what,
          resolve: () => {
            clearTimeout(timer);
            waiting = undefined;
            resolve();
          },
        };
      }),
  };
}

const settle = (ms = 250) => new Promise((r) => setTimeout(r, ms));

const kinds: Array<{ name: string; open: () => Promise<{ database: Database; url?: string; drop: () => Promise<void> }> }> = [
  {
    name: 'pglite',
    open: async () => {
      const database = await openDb({});
      return { database, drop: () => database.close() };
    },
  },
];
if (process.env.DATABASE_URL)
  kinds.push({
    name: 'postgres',
    open: async () => {
      const server = await freshServerDatabase();
      const database = await openDb({ url: server.url, poolSize: 2 });
      return {
        database,
        url: server.url,
        drop: async () => {
          await database.close();
          await server.drop();
        },
      };
    },
  });

for (const kind of kinds) {
  const it = suite(`status facts watch on ${kind.name}`);

  it('a committed ledger append or policy is told; a rolled-back one is not; stopping says so and ends it', async () => {
    const { database, drop } = await kind.open();
    try {
      const { services, close } = await liveApp(database);
      const heard = recorder();
      const up = heard.next('up');
      const stop = await database.watchStatusFacts(heard);
      await up;

      // an event for a scale: appended to the ledger, committed
      let told = heard.next('changed');
      await services.registry.loadEvent(readEvent({ kind: 'seal_broken', effectiveOn: '2026-11-21' }, 'scale-stall-17', services.registry.newId));
      await told;

      // a local policy: not in the ledger, told all the same
      told = heard.next('changed');
      await database.db.execute(
        sql`insert into verification_policies (id, regulator_id, region_code, category, interval_months, valid_from, valid_until) values ('p-watch', 'city-samr', '310000', 'MV016', 6, '2027-01-01', '2027-12-31')`,
      );
      await told;

      // written and rolled back: nothing
      const before = heard.told.length;
      await inRollback(database.db, async (tx) => {
        await tx.execute(
          sql`insert into verification_policies (id, regulator_id, region_code, category, interval_months, valid_from, valid_until) values ('p-gone', 'city-samr', '310000', 'MV016', 3, '2027-01-01', '2027-12-31')`,
        );
      });
      await settle();
      assert.equal(heard.told.slice(before), [], 'a rolled-back write is not told');

      await stop();
      assert.is(heard.told.at(-1), 'down');
      const after = heard.told.length;
      await services.registry.loadEvent(readEvent({ kind: 'seal_broken', effectiveOn: '2026-11-22' }, 'scale-stall-17', services.registry.newId));
      await settle();
      assert.is(heard.told.length, after, 'nothing is told once stopped');
      await close();
    } finally {
      await drop();
    }
  });

  if (kind.name === 'postgres')
    it('a lost listening connection is told at once, and listening starts again by itself; a change by another connection is told', async () => {
      const { url, drop } = await kind.open();
      try {
        const heard = recorder();
        const stop = await watchPostgres(url!, heard, 100);
        assert.equal(heard.told, ['up']);
        const admin = postgres(url!, { max: 1, onnotice: () => {} });
        try {
          // told when another connection notifies (what the trigger does at commit)
          let told = heard.next('changed');
          await admin.unsafe(`notify ${STATUS_FACTS_CHANNEL}`);
          await told;

          const down = heard.next('down');
          const killed = await admin.unsafe(
            `select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = 'metrotrace status facts' and datname = current_database()`,
          );
          assert.is(killed.length, 1, 'the watch has one connection of its own');
          await down;
          await heard.next('up');

          // and listens on the new connection
          told = heard.next('changed');
          await admin.unsafe(`notify ${STATUS_FACTS_CHANNEL}`);
          await told;
        } finally {
          await admin.end();
          await stop();
        }
        assert.is(heard.told.at(-1), 'down');
      } finally {
        await drop();
      }
    });

  it.run();
}
