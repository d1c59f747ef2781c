/**
 * Turns the database's own refusals (unique, foreign-key and check violations,
 * the append-only trigger) into coded MetrologyErrors. Everything else is left
 * as it is, to surface as a 5xx with details only in the log.
 */
import { type ErrorCode, MetrologyError } from '../core/errors.ts';

interface PgErrorLike {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  message?: string;
  cause?: unknown;
}

/** Unique constraints (index names) and the field each protects. */
const UNIQUE_FIELDS: Record<string, [string, string]> = {
  organisations_pkey: ['/id', 'an organisation with this id already exists'],
  lab_scopes_pkey: ['/id', 'a scope with this id already exists'],
  lab_cmcs_pkey: ['/id', 'a CMC with this id already exists'],
  lab_scope_versions_pkey: ['/id', 'an amendment with this id already exists'],
  lab_cmc_versions_pkey: ['/id', 'an amendment with this id already exists'],
  lab_scope_versions_scope_version_idx: ['/effectiveFrom', 'another amendment of this scope was stored at the same time; read its versions and submit again'],
  lab_cmc_versions_cmc_version_idx: ['/effectiveFrom', 'another amendment of this CMC was stored at the same time; read its versions and submit again'],
  equipment_pkey: ['/id', 'an equipment with this id already exists'],
  equipment_owner_asset_key_idx: [
    '/assetCode',
    'this owner already has an equipment with this asset code (compared ignoring case, spaces and full-width forms)',
  ],
  // the records' id is unique across their year partitions by a trigger that names calibration_records_pkey
  // (migration 0041); the key itself holds the year
  calibration_records_pkey: ['/id', 'a record with this id already exists'],
  calibration_records_id_performed_on_pk: ['/id', 'a record with this id already exists'],
  // sequence numbers of the partitioned audit log and ledger (migrations 0039, 0040): unique by triggers across the years
  audit_log_seq_unique: ['/seq', 'an audit log entry with this sequence number already exists; the log is never rewritten'],
  audit_log_seq_at_pk: ['/seq', 'an audit log entry with this sequence number already exists; the log is never rewritten'],
  ledger_seq_unique: ['/seq', 'a ledger entry with this sequence number already exists; the ledger is never rewritten'],
  ledger_seq_recorded_at_pk: ['/seq', 'a ledger entry with this sequence number already exists; the ledger is never rewritten'],
  meter_lot_members_equipment_idx: [
    '/members/equipmentIds',
    'a meter named here was made a member of another lot at the same time; a meter belongs to one lot',
  ],
  calibration_records_certificate_key_idx: [
    '/certificateNo',
    'a record with this certificate number already exists (compared ignoring case, spaces and full-width forms); a correction supersedes it with a new certificate number',
  ],
  tolerance_findings_pkey: ['/id', 'a finding with this id already exists'],
  verification_policies_pkey: ['/id', 'a policy with this id already exists'],
  lab_capacities_pkey: ['/id', 'a capacity with this id already exists'],
  verification_plans_pkey: ['/id', 'a plan with this id already exists'],
  energy_inventories_version_idx: ['', 'another inventory version was stored at the same time; submit again'],
  energy_audits_pkey: ['/id', 'an audit with this id already exists'],
  calibration_records_supersedes_idx: ['/supersedes', 'this record has already been corrected; supersede the latest correction instead'],
};

/** Unique constraints whose violation means something more precise than DUPLICATE. */
const UNIQUE_CODES: Record<string, ErrorCode> = {
  calibration_records_supersedes_idx: 'ALREADY_SUPERSEDED',
  lab_scope_versions_scope_version_idx: 'AMENDMENT_OUT_OF_ORDER',
  lab_cmc_versions_cmc_version_idx: 'AMENDMENT_OUT_OF_ORDER',
};

/** The first error along the `cause` chain (drizzle wraps the driver's) that `match` accepts. */
function causeWhere(e: unknown, match: (c: PgErrorLike) => boolean, depth: number): PgErrorLike | undefined {
  let cur: unknown = e;
  for (let i = 0; i < depth && cur && typeof cur === 'object'; i++) {
    const c = cur as PgErrorLike;
    if (match(c)) return c;
    cur = c.cause;
  }
  return undefined;
}

const findPgError = (e: unknown) => causeWhere(e, (c) => typeof c.code === 'string' && /^[0-9A-Z]{5}$/.test(c.code), 5);

export function translateDbError(e: unknown): unknown {
  if (e instanceof MetrologyError) return e;
  const pg = findPgError(e);
  if (!pg) return e;
  const constraint = pg.constraint ?? pg.constraint_name ?? '';
  switch (pg.code) {
    case '23505': {
      const [path, message] = UNIQUE_FIELDS[constraint] ?? ['', 'a unique value is already taken'];
      return new MetrologyError(UNIQUE_CODES[constraint] ?? 'DUPLICATE', path, message);
    }
    case '23503':
      return new MetrologyError('UNKNOWN_REFERENCE', '', `a referenced row does not exist (${constraint})`);
    case '23514':
      return new MetrologyError('INVALID_FIELD', '', `the database rejected the values (${constraint})`);
    case '22021':
    case '22P05':
      return new MetrologyError('INVALID_FIELD', '', 'a text contains a character the database cannot store (such as NUL, U+0000)');
    case 'MT001':
      return new MetrologyError('APPEND_ONLY', '', 'records are append-only: a correction is a new record that supersedes the old one');
    case 'MT002':
      return new MetrologyError('SUPERSEDES_OTHER_SUBJECT', '/supersedes', 'a correction replaces a record of the same equipment');
    default:
      return e;
  }
}
