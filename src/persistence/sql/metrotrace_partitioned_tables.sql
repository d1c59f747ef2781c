-- metrotrace_partitioned_tables: the live definition, as migration 0041_partition_records.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_partitioned_tables() RETURNS TABLE (parent text, key_column text)
LANGUAGE sql IMMUTABLE AS $$ VALUES ('audit_log', 'at'), ('ledger', 'recorded_at'), ('calibration_records', 'performed_on') $$;
