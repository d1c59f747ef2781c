-- metrotrace_partition_year: the live definition, as migration 0041_partition_records.sql last wrote it.
-- A year's partition, made once (0039, generalised). Rows of that year waiting
-- in DEFAULT are moved into a table of the parent's shape, which is then
-- attached as the year's partition (taking the parent's indexes, constraints
-- and row triggers): the move inserts nothing through the parent, so none of
-- its insert triggers fire for rows already checked when they were written.
-- DEFAULT is detached meanwhile (a detached table has none of the parent's row
-- triggers, so taking the rows out of it is no DELETE on the table).
CREATE OR REPLACE FUNCTION metrotrace_partition_year(p_parent text, p_column text, p_year integer) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_name text := p_parent || '_y' || p_year;
  v_default text := p_parent || '_default';
  v_bounds record := metrotrace_partition_bounds(p_parent, p_column, p_year);
  v_range text;
  v_waiting boolean;
BEGIN
  IF to_regclass(v_name) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', p_parent);
  -- another process may have made it while this one waited for the lock
  IF to_regclass(v_name) IS NOT NULL THEN
    RETURN false;
  END IF;
  v_range := format('%I >= %L::%s AND %I < %L::%s', p_column, v_bounds.from_value, v_bounds.key_type, p_column, v_bounds.to_value, v_bounds.key_type);
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %s)', v_default, v_range) INTO v_waiting;
  IF v_waiting THEN
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', p_parent, v_default);
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name, p_parent);
    EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE %s', v_name, v_default, v_range);
    EXECUTE format('DELETE FROM %I WHERE %s', v_default, v_range);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', p_parent, v_name, v_bounds.from_value, v_bounds.to_value);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I DEFAULT', p_parent, v_default);
  ELSE
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', v_name, p_parent, v_bounds.from_value, v_bounds.to_value);
  END IF;
  PERFORM metrotrace_append_only(v_name);
  RETURN true;
END;
$$;
