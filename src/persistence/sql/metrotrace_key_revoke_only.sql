-- metrotrace_key_revoke_only: the live definition, as migration 0016_access_append_only.sql last wrote it.
-- A key is never deleted (the audit log names it) and never changed, except
-- that it may be revoked once.
CREATE OR REPLACE FUNCTION metrotrace_key_revoke_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
     AND NEW.id = OLD.id AND NEW.secret_hash = OLD.secret_hash AND NEW.role = OLD.role
     AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id AND NEW.label = OLD.label
     AND NEW.expires_on IS NOT DISTINCT FROM OLD.expires_on AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'APPEND_ONLY: % on % is not allowed; a key can only be revoked', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'MT001';
END;
$$;
