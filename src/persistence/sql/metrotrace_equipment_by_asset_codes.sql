-- metrotrace_equipment_by_asset_codes: the live definition, as migration 0038_ledger_append_many.sql last wrote it.
-- The equipment registered under owners' asset codes (pairs: p_owners[i], p_codes[i]),
-- compared by the identifier key: each pair probes the unique index on
-- (owner_id, metrotrace_identifier_key(asset_code)). Sequential scans are off
-- inside: while an import fills the table faster than statistics follow it,
-- the planner would otherwise scan it, computing the key of every row for
-- every pair (quadratic over an import's batches). The index on owner_id alone
-- can still look better to a planner whose statistics are missing: the store
-- analyses the table when a batch outgrows them (registry-store.ts).
CREATE OR REPLACE FUNCTION metrotrace_equipment_by_asset_codes(p_owners text[], p_codes text[]) RETURNS SETOF text
LANGUAGE sql STABLE SET enable_seqscan = off AS $$
  SELECT e.id FROM unnest(p_owners, p_codes) AS k(owner_id, asset_code)
  CROSS JOIN LATERAL (SELECT x.id FROM equipment x
    WHERE x.owner_id = k.owner_id AND metrotrace_identifier_key(x.asset_code) = metrotrace_identifier_key(k.asset_code) LIMIT 1) e
$$;
