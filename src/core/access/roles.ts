/**
 * Who may do what. A caller is either the public (no key) or the holder of an
 * API key bound to a role and, except for an admin, to an organisation. Every
 * route declares the roles it admits; writes that belong to an organisation
 * (a lab's records, an owner's equipment and energy inventory) are further
 * confined to the caller's own organisation.
 */
import { fail } from '../errors.ts';

export const ROLES = ['admin', 'lab', 'owner', 'inspector', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Readonly<Record<Role | 'public', string>> = {
  admin: 'everything, including keys and the audit log',
  lab: "appends calibration and verification records (its own, within its authorised scope) and registers its own standards",
  owner: 'registers its own equipment and submits its own energy inventory',
  inspector: 'reads everything, records out-of-tolerance findings, sets verification policies, capacities and plans',
  auditor: 'reads everything and runs energy-metering audits',
  public: 'the label lookup by certificate number or instrument code, the lookup page and the documentation',
};

export type Caller =
  | { readonly kind: 'public' }
  | { readonly kind: 'key'; readonly keyId: string; readonly role: Role; readonly organisationId: string | null };

/**
 * What a route admits: 'public' (anyone, no key), 'authenticated' (any valid
 * key), or a list of roles (an admin is always admitted).
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

export type AccessDecision = 'allowed' | 'unauthenticated' | 'forbidden';

export function decide(access: Access, caller: Caller): AccessDecision {
  if (access === 'public') return 'allowed';
  if (caller.kind === 'public') return 'unauthenticated';
  if (access === 'authenticated' || caller.role === 'admin') return 'allowed';
  return access.includes(caller.role) ? 'allowed' : 'forbidden';
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Confines a write to the caller's own organisation: an admin may act for
 * anyone; any other key only for the organisation it is bound to.
 */
export function requireOwnOrganisation(caller: Caller, organisationId: string, path: string, what: string): void {
  if (caller.kind === 'key' && caller.role === 'admin') return;
  if (caller.kind === 'key' && caller.organisationId === organisationId) return;
  const who = caller.kind === 'key' ? `a ${caller.role} key of '${caller.organisationId ?? 'no organisation'}'` : 'the public';
  fail('FORBIDDEN', path, `${who} may not ${what} for '${organisationId}'; use a key bound to that organisation`);
}
