/**
 * Calibration records are partitioned by the year of performed_on (migration
 * 0041): a record lands in its year's partition (or DEFAULT, until the keeper
 * makes its year and moves it); the keeper makes next year's; the rules that
 * unique indexes and foreign keys kept before are kept by triggers across the
 * partitions, and hold when two writers race on the PostgreSQL server; and the
 * table stays append-only through every partition.
 */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { countOf, inRollback, testDatabases } from '../helpers/db.ts';
import { freshServerDatabase } from '../helpers/fresh.ts';
import { rowsOf, type Db } from '../../src/persistence/db.ts';
import { translateDbError } from '../../src/persistence/db-errors.ts';
import { MetrologyError } from '../../src/core/errors.ts';
import { ensurePartitions, listPartitions } from '../../src/persistence/partitions.ts';

/** A lab, an owner and two instruments (two statements: PGlite runs one per query). */
const SETUP = [
  `insert into organisations (id, name, kind, region_code) values ('p-lab', 'Lab', 'calibration_lab', '310000'), ('p-owner', 'Owner', 'enterprise', '310104')`,
  `insert into equipment (id, owner_id, name, quantity, range_unit, accuracy_kind, accuracy_class, level, usage, status)
    values ('p-scale', 'p-owner', 'Scale', 'mass', 'kg', 'class', 'III', 'working_instrument', 'trade_settlement', 'in_service'),
           ('p-other', 'p-owner', 'Other scale', 'mass', 'kg', 'class', 'III', 'working_instrument', 'trade_settlement', 'in_service')`,
];

async function setUp(db: Db): Promise<void> {
  for (const statement of SETUP) await db.execute(sql.raw(statement));
}

/** The insert of a calibration record of p-scale (a calibration: no conformity, no validity needed). */
function record(id: string, certificateNo: string, performedOn: string, supersedes?: string): string {
  return `insert into calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on, supersedes)
    values ('${id}', 'calibration', 'p-scale', 'p-lab', '${certificateNo}', '${performedOn}', ${supersedes ? `'${supersedes}'` : 'null'})`;
}

/** The error a statement fails with, in its own savepoint so that the test's transaction carries on. */
async function refusal(db: Db, statement: string): Promise<{ code: string; constraint: string; message: string; mapped: unknown }> {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(statement));
    });
  } catch (e) {
    const pg = ((e as { cause?: unknown }).cause ?? e) as { code?: string; constraint?: string; constraint_name?: string; message: string };
    return { code: pg.code ?? '', constraint: pg.constraint ?? pg.constraint_name ?? '', message: pg.message, mapped: translateDbError(e) };
  }
  assert.unreachable(`${statement} was accepted`);
  throw new Error('unreachable');
}

async function partitionOf(db: Db, id: string): Promise<string> {
  return rowsOf<{ p: string }>(await db.execute(sql.raw(`select tableoid::regclass::text as p from calibration_records where id = '${id}'`)))[0]!.p;
}

function codeOf(e: unknown): string {
  assert.instance(e, MetrologyError);
  return (e as MetrologyError).code;
}

const year = new Date().getUTCFullYear();

for (const target of testDatabases()) {
  const test = suite(`calibration records partitioned by year on ${target.name}`);

  test("the migration made this year's and next year's partitions and DEFAULT, each append-only", async () => {
    const db = (await target.open()).db;
    const names = (await listPartitions(db)).filter((p) => p.parent === 'calibration_records').map((p) => p.name);
    for (const n of [`calibration_records_y${year}`, `calibration_records_y${year + 1}`, 'calibration_records_default']) assert.ok(names.includes(n), n);
    const bound = (await listPartitions(db)).find((p) => p.name === `calibration_records_y${year}`)!.bound;
    assert.is(bound, `FOR VALUES FROM ('${year}-01-01') TO ('${year + 1}-01-01')`);
    await inRollback(db, async (tx) => {
      await setUp(tx);
      await tx.execute(sql.raw(record('p-1', 'P-1', `${year}-01-01`)));
      await tx.execute(sql.raw(record('p-2', 'P-2', '1999-12-31')));
      for (const table of ['calibration_records', `calibration_records_y${year}`, 'calibration_records_default']) {
        assert.is((await refusal(tx, `update ${table} set remarks = 'x'`)).code, 'MT001', table);
        assert.is((await refusal(tx, `delete from ${table}`)).code, 'MT001', table);
      }
      for (const table of ['calibration_records', `calibration_records_y${year}`, `calibration_records_y${year + 1}`, 'calibration_records_default'])
        assert.is((await refusal(tx, `truncate ${table}`)).code, 'MT001', table);
      // a change of date that would move the record to another year's partition is an update, refused
      assert.is((await refusal(tx, `update calibration_records set performed_on = performed_on - 400 where id = 'p-1'`)).code, 'MT001');
    });
  });

  test('a record lands in its year; one of a year without partition waits in DEFAULT and moves with its correction when the keeper makes the year', async () => {
    const db = (await target.open()).db;
    await inRollback(db, async (tx) => {
      await setUp(tx);
      await tx.execute(sql.raw(record('p-now', 'P-NOW', `${year}-06-30`)));
      assert.is(await partitionOf(tx, 'p-now'), `calibration_records_y${year}`);
      await tx.execute(sql.raw(record('p-old', 'P-OLD', '1998-05-01')));
      await tx.execute(sql.raw(record('p-old-fix', 'P-OLD-FIX', '1998-05-02', 'p-old')));
      await tx.execute(sql`insert into measured_points (record_id, seq, nominal, unit) values ('p-old', 0, '1', 'kg')`);
      assert.is(await partitionOf(tx, 'p-old'), 'calibration_records_default');
      assert.is(await ensurePartitions(tx), 1);
      assert.is(await partitionOf(tx, 'p-old'), 'calibration_records_y1998');
      assert.is(await partitionOf(tx, 'p-old-fix'), 'calibration_records_y1998');
      assert.is(await countOf(tx, 'select count(*)::int as n from calibration_records_default'), 0);
      // the moved-into partition took the parent's rules: append-only, the unique checks, the record's points still point at it
      assert.is((await refusal(tx, `delete from calibration_records_y1998`)).code, 'MT001');
      assert.is((await refusal(tx, `truncate calibration_records_y1998`)).code, 'MT001');
      assert.is((await refusal(tx, record('p-old-fix-2', 'P-OLD-FIX-2', `${year}-01-02`, 'p-old'))).constraint, 'calibration_records_supersedes_idx');
      assert.is(await countOf(tx, `select count(*)::int as n from measured_points m join calibration_records r on r.id = m.record_id where r.id = 'p-old'`), 1);
    });
  });

  test("the keeper makes next year's records partition (and the year after's, looking ahead), append-only", async () => {
    const db = (await target.open()).db;
    await inRollback(db, async (tx) => {
      const made = rowsOf<{ made: number }>(await tx.execute(sql`select metrotrace_partitions_ensure(now() + interval '10 years') as made`))[0]!.made;
      assert.is(Number(made), 6, 'two years of the audit log, the ledger and the records');
      const names = (await listPartitions(tx)).filter((p) => p.parent === 'calibration_records').map((p) => p.name);
      assert.ok(names.includes(`calibration_records_y${year + 10}`) && names.includes(`calibration_records_y${year + 11}`), names.join(', '));
      assert.is((await refusal(tx, `truncate calibration_records_y${year + 11}`)).code, 'MT001');
      assert.is(await ensurePartitions(tx), 0);
    });
  });

  test('id, certificate number and correction stay unique across the years; references need a record; the refusals map as before', async () => {
    const db = (await target.open()).db;
    await inRollback(db, async (tx) => {
      await setUp(tx);
      await tx.execute(sql.raw(record('u-1', 'XH-JD2026-00001', `${year}-02-01`)));
      let r = await refusal(tx, record('u-1', 'XH-JD2026-00002', `${year - 1}-02-01`));
      assert.equal([r.code, r.constraint, codeOf(r.mapped)], ['23505', 'calibration_records_pkey', 'DUPLICATE']);
      assert.is((r.mapped as MetrologyError).path, '/id');
      // the same number as printed differently (case, full-width), in another year's partition
      r = await refusal(tx, record('u-2', 'xh-jd2026-００００１', `${year - 1}-02-01`));
      assert.equal([r.code, r.constraint, codeOf(r.mapped)], ['23505', 'calibration_records_certificate_key_idx', 'DUPLICATE']);
      assert.is((r.mapped as MetrologyError).path, '/certificateNo');
      await tx.execute(sql.raw(record('u-fix', 'XH-JD2026-00003', `${year - 1}-03-01`, 'u-1')));
      r = await refusal(tx, record('u-fix-2', 'XH-JD2026-00004', `${year}-03-01`, 'u-1'));
      assert.equal([r.code, r.constraint, codeOf(r.mapped)], ['23505', 'calibration_records_supersedes_idx', 'ALREADY_SUPERSEDED']);
      // the correction of a correction is accepted
      await tx.execute(sql.raw(record('u-fix-2', 'XH-JD2026-00004', `${year}-03-01`, 'u-fix')));
      // a correction of a record that does not exist is refused as before (0001)
      assert.is((await refusal(tx, record('u-3', 'XH-JD2026-00005', `${year}-03-01`, 'nothing'))).code, 'MT002');
      for (const [statement, constraint] of [
        [`insert into measured_points (record_id, seq, nominal, unit) values ('nothing', 0, '1', 'kg')`, 'measured_points_record_id_calibration_records_id_fk'],
        [
          `insert into record_references (record_id, reference_id, position) values ('nothing', 'p-other', 0)`,
          'record_references_record_id_calibration_records_id_fk',
        ],
        [`insert into record_sidecars (record_id, document) values ('nothing', '{}')`, 'record_sidecars_record_id_calibration_records_id_fk'],
      ] as const) {
        r = await refusal(tx, statement);
        assert.equal([r.code, r.constraint, codeOf(r.mapped)], ['23503', constraint, 'UNKNOWN_REFERENCE']);
      }
      await tx.execute(sql`insert into measured_points (record_id, seq, nominal, unit) values ('u-1', 0, '1', 'kg')`);
      await tx.execute(sql`insert into record_references (record_id, reference_id, position) values ('u-1', 'p-other', 0)`);
      await tx.execute(sql`insert into record_sidecars (record_id, document) values ('u-1', '{}')`);
      assert.is(await countOf(tx, `select count(*)::int as n from calibration_records where id like 'u-%'`), 3);
    });
  });

  test("a sequence number taken in the audit log's or the ledger's other year is refused as DUPLICATE at /seq", async () => {
    const db = (await target.open()).db;
    await inRollback(db, async (tx) => {
      const entry = (at: string) =>
        `insert into ledger (seq, kind, entity_id, content_hash, prev_hash, hash, recorded_at) values (900001, 'organisation', 'o', 'c', 'p', 'h', '${at}')`;
      await tx.execute(sql.raw(entry(`${year}-01-01T00:00:00Z`)));
      let r = await refusal(tx, entry('1999-01-01T00:00:00Z'));
      assert.equal([r.constraint, codeOf(r.mapped), (r.mapped as MetrologyError).path], ['ledger_seq_unique', 'DUPLICATE', '/seq']);
      const audit = (at: string) =>
        `insert into audit_log (seq, at, role, method, route, path, params, status, outcome, address, request_id) values (900001, '${at}', 'admin', 'GET', '/x', '/x', '{}', 200, 'ok', '127.0.0.1', 'r')`;
      await tx.execute(sql.raw(audit(`${year}-01-01T00:00:00Z`)));
      r = await refusal(tx, audit('1999-01-01T00:00:00Z'));
      assert.equal([r.constraint, codeOf(r.mapped), (r.mapped as MetrologyError).path], ['audit_log_seq_unique', 'DUPLICATE', '/seq']);
    });
  });

  test.run();
}

if (process.env.DATABASE_URL) {
  const race = suite('calibration records: unique rules under two writers racing (PostgreSQL server)');
  let fresh: { url: string; drop: () => Promise<void> };
  let a: postgres.Sql;
  let b: postgres.Sql;

  race.before(async () => {
    fresh = await freshServerDatabase();
    a = postgres(fresh.url, { max: 2, onnotice: () => {} });
    b = postgres(fresh.url, { max: 2, onnotice: () => {} });
    for (const statement of SETUP) await a.unsafe(statement);
    await a.unsafe(record('r-base', 'R-BASE', `${year}-01-05`));
  });
  race.after(async () => {
    await a.end();
    await b.end();
    await fresh.drop();
  });

  /**
   * Writer A inserts and holds its transaction open; writer B inserts the colliding row meanwhile (into another
   * year's partition, where no index could see A's); B must wait for A and, once A commits, be refused.
   */
  async function collide(first: string, second: string): Promise<{ code?: string; constraint_name?: string }> {
    const [pa, pb] = await Promise.all([a.reserve(), b.reserve()]);
    try {
      await pa.unsafe('begin');
      await pa.unsafe(first);
      await pb.unsafe('begin');
      let settled = false;
      const second$ = pb.unsafe(second).then(
        () => {
          settled = true;
          return undefined;
        },
        (e: unknown) => {
          settled = true;
          return e as { code?: string; constraint_name?: string };
        },
      );
      await new Promise((r) => setTimeout(r, 500));
      assert.not.ok(settled, 'the second writer waits for the first');
      const [{ waiting }] = await pa.unsafe<[{ waiting: number }]>(
        `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      assert.is(waiting, 1);
      await pa.unsafe('commit');
      const err = await second$;
      await pb.unsafe('rollback');
      assert.ok(err, 'the second writer is refused');
      return err!;
    } finally {
      pa.release();
      pb.release();
    }
  }

  race('two writers of one certificate number (as printed differently, in different years): the second is refused', async () => {
    const err = await collide(record('r-1', 'RACE-0001', `${year}-02-01`), record('r-2', 'race-0001', `${year - 1}-02-01`));
    assert.equal([err.code, err.constraint_name], ['23505', 'calibration_records_certificate_key_idx']);
    assert.is(codeOf(translateDbError(err)), 'DUPLICATE');
    const [{ n }] = await a.unsafe<[{ n: number }]>(`select count(*)::int as n from calibration_records where id in ('r-1', 'r-2')`);
    assert.is(n, 1);
  });

  race('two writers correcting one record: the second is refused, the record is corrected once', async () => {
    const err = await collide(record('r-fix-a', 'RACE-FIX-A', `${year}-02-02`, 'r-base'), record('r-fix-b', 'RACE-FIX-B', `${year - 1}-02-02`, 'r-base'));
    assert.equal([err.code, err.constraint_name], ['23505', 'calibration_records_supersedes_idx']);
    assert.is(codeOf(translateDbError(err)), 'ALREADY_SUPERSEDED');
    const [{ n }] = await a.unsafe<[{ n: number }]>(`select count(*)::int as n from calibration_records where supersedes = 'r-base'`);
    assert.is(n, 1);
  });

  race('two writers of one record id in different years: the second is refused', async () => {
    const err = await collide(record('r-id', 'RACE-ID-A', `${year}-02-03`), record('r-id', 'RACE-ID-B', `${year - 1}-02-03`));
    assert.equal([err.code, err.constraint_name], ['23505', 'calibration_records_pkey']);
  });

  race('two writers of different records both commit', async () => {
    const [pa, pb] = await Promise.all([a.reserve(), b.reserve()]);
    try {
      await pa.unsafe('begin');
      await pa.unsafe(record('r-x', 'RACE-X', `${year}-02-04`));
      await pb.unsafe('begin');
      const second = pb.unsafe(record('r-y', 'RACE-Y', `${year - 1}-02-04`));
      await pa.unsafe('commit');
      await second;
      await pb.unsafe('commit');
    } finally {
      pa.release();
      pb.release();
    }
    const [{ n }] = await a.unsafe<[{ n: number }]>(`select count(*)::int as n from calibration_records where id in ('r-x', 'r-y')`);
    assert.is(n, 2);
  });

  race.run();
} else {
  console.log('records partitions, writers racing: skipped, DATABASE_URL is not set (no PostgreSQL server)');
}
