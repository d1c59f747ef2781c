-- Hand-written (issue 19, item 4): a notification on every commit that may
-- change what a verification status is worked out from, so that an API
-- process keeping label answers (app/verification.ts) learns of a write by
-- any process without asking the database on every lookup. Every write to
-- the registry appends to the ledger in its transaction; the verification
-- policies (append-only, like the ledger) are the one fact outside it. A statement-level trigger notifies
-- once per statement, and PostgreSQL delivers a transaction's notifications
-- when (and only if) it commits, folding identical ones into one.
CREATE OR REPLACE FUNCTION metrotrace_status_facts_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('metrotrace_status_facts', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_status_facts_changed AFTER INSERT ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_status_facts_changed();
--> statement-breakpoint
CREATE TRIGGER verification_policies_status_facts_changed AFTER INSERT ON verification_policies
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_status_facts_changed();
