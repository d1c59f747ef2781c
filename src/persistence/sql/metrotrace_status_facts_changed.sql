-- metrotrace_status_facts_changed: the live definition, as migration 0044_status_facts_notify.sql last wrote it.
-- Notifies channel metrotrace_status_facts (delivered at commit) after a statement that wrote the ledger or the verification policies.
CREATE OR REPLACE FUNCTION metrotrace_status_facts_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('metrotrace_status_facts', '');
  RETURN NULL;
END;
$$;
