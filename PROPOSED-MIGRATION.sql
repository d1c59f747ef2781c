-- PROPOSED (H7, issue #19 item 4) — not a migration yet: H6 owns 0043; the lead may add this as the next one.
--
-- Why: in the upward closure (src/persistence/traceability-store.ts, loadUpwardClosure) every candidate
-- record in force is tested with
--     not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id and <known>)
-- calibration_records is partitioned by performed_on, and a correction's date is unrelated to the
-- record it supersedes, so each test probes the supersedes index of every partition (3 today, one more
-- each year): 6 shared buffers per candidate, 144 of the 494 buffers of a working instrument's closure
-- on the 1,000,000-instrument graph. Corrections are rare; a small unpartitioned table of the superseded
-- records, kept by a trigger in the same transaction as the correction, answers the test with one probe.
--
-- The query would then read
--     not exists (select 1 from superseded_records s where s.id = cr.id and <known('s')>)
-- (s.created_at is the correction's created_at, so "as known at" filters as before). The same test in
-- recordsUsingSince, the due list and the status queries could use it too.
--
-- Measured by hand on a copy of the 1,000,000-instrument graph (2026-12-03, the DDL below applied to it),
-- EXPLAIN (ANALYZE, BUFFERS) of the closure of gen-i-368787 at 2026-06-01 (the query of commit d120b0f, since reverted,
-- literals in place of its parameters), the three not-exists tests swapped for the one above:
-- shared buffers 515 -> 347 (-33 %), the same document (md5 of the output equal). Wall times were not comparable (load average 18 on 2 cores).
-- The trigger was checked by hand: a correction inserted in a transaction noted its superseded record,
-- and a DELETE on superseded_records was refused APPEND_ONLY. The closure's output must be compared
-- old/new (as was done for d120b0f: 900 resolutions field by field) before the query is switched.

create table superseded_records (
  -- the record superseded (a record is superseded at most once: RegistryService refuses a second correction)
  id text primary key,
  superseded_by text not null,
  -- when the correction was written: what "as known at" compares
  created_at timestamptz not null
);

insert into superseded_records (id, superseded_by, created_at)
select supersedes, id, created_at from calibration_records where supersedes is not null;

create function metrotrace_note_superseded() returns trigger language plpgsql as $$
begin
  insert into superseded_records (id, superseded_by, created_at) values (new.supersedes, new.id, new.created_at);
  return new;
end $$;

create trigger calibration_records_note_superseded after insert on calibration_records
  for each row when (new.supersedes is not null) execute function metrotrace_note_superseded();

-- append-only like the records: no update or delete
create trigger superseded_records_append_only before update or delete on superseded_records
  for each row execute function metrotrace_reject_change();
create trigger superseded_records_no_truncate before truncate on superseded_records
  for each statement execute function metrotrace_reject_change();
