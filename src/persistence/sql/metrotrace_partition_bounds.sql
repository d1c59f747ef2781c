-- metrotrace_partition_bounds: the live definition, as migration 0041_partition_records.sql last wrote it.
-- The year's bounds in the type of the partition key: a date column's year
-- runs from 1 January to 1 January; a timestamptz column's in UTC.
CREATE OR REPLACE FUNCTION metrotrace_partition_bounds(p_parent text, p_column text, p_year integer, OUT key_type text, OUT from_value text, OUT to_value text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  SELECT format_type(a.atttypid, a.atttypmod) INTO key_type
    FROM pg_attribute a WHERE a.attrelid = p_parent::regclass AND a.attname = p_column;
  IF key_type = 'date' THEN
    from_value := make_date(p_year, 1, 1)::text;
    to_value := make_date(p_year + 1, 1, 1)::text;
  ELSE
    from_value := make_timestamptz(p_year, 1, 1, 0, 0, 0, 'UTC')::text;
    to_value := make_timestamptz(p_year + 1, 1, 1, 0, 0, 0, 'UTC')::text;
  END IF;
END;
$$;
