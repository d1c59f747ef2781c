-- metrotrace_partitions_ensure: the live definition, as migration 0041_partition_records.sql last wrote it.
-- As in 0039, with the year of a row taken in its key's type (a date has no time zone).
CREATE OR REPLACE FUNCTION metrotrace_partitions_ensure(p_now timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_table record;
  v_year integer;
  v_this integer := extract(year FROM p_now AT TIME ZONE 'UTC')::integer;
  v_waiting integer[];
  v_made integer := 0;
BEGIN
  FOR v_table IN SELECT * FROM metrotrace_partitioned_tables() LOOP
    IF (metrotrace_partition_bounds(v_table.parent, v_table.key_column, v_this)).key_type = 'date' THEN
      EXECUTE format('SELECT array_agg(DISTINCT extract(year FROM %I)::integer) FROM %I', v_table.key_column, v_table.parent || '_default') INTO v_waiting;
    ELSE
      EXECUTE format('SELECT array_agg(DISTINCT extract(year FROM %I AT TIME ZONE ''UTC'')::integer) FROM %I', v_table.key_column, v_table.parent || '_default') INTO v_waiting;
    END IF;
    FOR v_year IN SELECT DISTINCT y FROM unnest(array[v_this, v_this + 1] || coalesce(v_waiting, '{}')) AS y ORDER BY y LOOP
      IF metrotrace_partition_year(v_table.parent, v_table.key_column, v_year) THEN
        v_made := v_made + 1;
      END IF;
    END LOOP;
  END LOOP;
  RETURN v_made;
END;
$$;
