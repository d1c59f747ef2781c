-- metrotrace_ledger_content_api_key: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_api_key(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT (jsonb_strip_nulls(to_jsonb(k) - 'created_at' - 'secret_hash')
              || jsonb_build_object('secret_hash_digest', CASE WHEN k.secret_hash LIKE 'withheld-from-export:%' THEN substr(k.secret_hash, 22) ELSE metrotrace_sha256(k.secret_hash) END))::text
      FROM api_keys k WHERE k.id = p_id
$$;
