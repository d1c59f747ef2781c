/**
 * Who may do what. A caller is either the public (no key) or the holder of an
 * API key bound to a role and, except for an admin, to an organisation. Every
 * route declares the roles it admits; writes that belong to an organisation
 * (a lab's records, an owner's equipment and energy inventory) are further
 * confined to the caller's own organisation.
 */
import { fail } from '../errors.ts';
import type { OrganisationKind } from '../registry/vocabulary.ts';

export const ROLES = ['admin', 'lab', 'owner', 'inspector', 'auditor'] as const;

/** A word with its indefinite article, as a sentence needs it: "an inspector", "a lab", "an enterprise". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Readonly<Record<Role | 'public', string>> = {
  admin: 'everything, including keys and the audit log',
  lab: 'appends calibration and verification records (its own, within its authorised scope), registers its own standards, records out-of-tolerance findings on them and declares its own verification capacity',
  owner: 'registers its own equipment, files certificates it received, submits its own energy inventory and makes its integrity commitment or appeal',
  inspector:
    "reads everything, records out-of-tolerance findings and in-use inspections, draws and closes spot-check plans, lists organisations under dishonesty measures, sets verification policies, capacities and plans in its own regulator's name and region",
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

/**
 * The organisations a role's key may be bound to: a lab key to an institution
 * that performs calibrations and verifications, an owner key to an owner of
 * instruments, an inspector's or an auditor's to a market regulator. (An admin
 * key is bound to none.)
 */
export const ROLE_ORGANISATIONS: Readonly<Record<Exclude<Role, 'admin'>, readonly OrganisationKind[]>> = {
  lab: ['legal_metrology_institute', 'calibration_lab'],
  owner: ['enterprise', 'energy_using_unit'],
  inspector: ['regulator'],
  auditor: ['regulator'],
};

/** @throws WRONG_ORGANISATION_KIND when a key of this role may not be bound to an organisation of this kind */
export function checkRoleFits(role: Exclude<Role, 'admin'>, organisationId: string, kind: OrganisationKind): void {
  const allowed = ROLE_ORGANISATIONS[role];
  if (!allowed.includes(kind)) {
    fail(
      'WRONG_ORGANISATION_KIND',
      '/organisationId',
      `${withArticle(role)} key is for ${allowed.map((k) => withArticle(k.replace(/_/g, ' '))).join(' or ')}; '${organisationId}' is ${withArticle(kind.replace(/_/g, ' '))}`,
    );
  }
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Admits only the given roles (an admin always) to a use case, whatever
 * transport calls it: the HTTP routes check the same list first, and this
 * keeps a caller that is not a route (the CLI, a script over the services)
 * to the same rule.
 */
export function requireRole(caller: Caller, roles: readonly Role[], what: string): void {
  if (decide(roles, caller) === 'allowed') return;
  const who = caller.kind === 'key' ? `${withArticle(caller.role)} key` : 'the public';
  fail('FORBIDDEN', 'authorization', `${who} may not ${what}; it takes ${roles.map(withArticle).join(' or ')} key`);
}

/**
 * Confines a write to the caller's own organisation: an admin may act for
 * anyone; any other key only for the organisation it is bound to.
 */
export function requireOwnOrganisation(caller: Caller, organisationId: string, path: string, what: string): void {
  if (caller.kind === 'key' && caller.role === 'admin') return;
  if (caller.kind === 'key' && caller.organisationId === organisationId) return;
  const who = caller.kind === 'key' ? `${withArticle(caller.role)} key of '${caller.organisationId ?? 'no organisation'}'` : 'the public';
  fail('FORBIDDEN', path, `${who} may not ${what} for '${organisationId}'; use a key bound to that organisation`);
}

/**
 * What a key may read beyond the directory (organisations, scopes, CMCs, the
 * catalogue, policies and capacities are open to every key; the label to
 * everyone). An owner reads its own organisation's instruments, records and
 * energy data; a lab its own, and the instruments it has calibrated or
 * verified (its customers'), with the records it issued; an inspector or an
 * auditor everything owned in its regulator's region; an admin everything.
 */
export type ReadScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'organisation'; readonly organisationId: string }
  | { readonly kind: 'lab'; readonly organisationId: string }
  | { readonly kind: 'region'; readonly regulatorId: string; readonly regionPrefix: string };

/** The read scope of a key; `regionPrefix` is the key organisation's region prefix (for inspectors and auditors). */
export function readScopeOf(caller: Extract<Caller, { kind: 'key' }>, regionPrefix: string | null): ReadScope {
  switch (caller.role) {
    case 'admin':
      return { kind: 'all' };
    case 'owner':
      return { kind: 'organisation', organisationId: caller.organisationId! };
    case 'lab':
      return { kind: 'lab', organisationId: caller.organisationId! };
    case 'inspector':
    case 'auditor':
      return {
        kind: 'region',
        regulatorId: caller.organisationId!,
        regionPrefix: regionPrefix ?? fail('FORBIDDEN', '', `the key's organisation '${caller.organisationId}' has no region`),
      };
  }
}

/** In words, for a refusal: what this scope reads. */
export function describeScope(scope: ReadScope): string {
  switch (scope.kind) {
    case 'all':
      return 'everything';
    case 'organisation':
      return `the instruments, records and energy data of '${scope.organisationId}'`;
    case 'lab':
      return `the instruments '${scope.organisationId}' owns or has calibrated or verified, and the records it issued`;
    case 'region':
      return `what is owned in the region of '${scope.regulatorId}' (${scope.regionPrefix}…)`;
  }
}
