/**
 * A certificate filed by the equipment's owner on the issuing lab's behalf: a
 * DCC the owner received. The registry cannot tell a genuine certificate from
 * one the owner wrote itself, so the filing is *unverified evidence*: it is
 * kept, shown to those who may read it, and counts for nothing (no chain is
 * traceable through it, no status or label rests on it) until the lab it names,
 * or an admin, confirms it, which creates the record through every rule a
 * lab's own record passes, or rejects it with a reason. One decision, final.
 */
import { type Caller, withArticle } from '../access/roles.ts';
import type { CalendarDate } from '../dates.ts';
import { fail } from '../errors.ts';

export const FILED_STATES = ['pending', 'confirmed', 'rejected'] as const;
export type FiledState = (typeof FILED_STATES)[number];

export type FiledDecision =
  | {
      readonly decision: 'confirmed';
      readonly recordId: string;
      readonly decidedByKey: string;
      readonly decidedByOrganisation: string | null;
      readonly decidedAt: string;
    }
  | {
      readonly decision: 'rejected';
      readonly reason: string;
      readonly decidedByKey: string;
      readonly decidedByOrganisation: string | null;
      readonly decidedAt: string;
    };

/** A decision as it is taken (the store dates it). */
export type NewFiledDecision = FiledDecision extends infer D ? (D extends unknown ? Omit<D, 'decidedAt'> : never) : never;

export interface FiledCertificate {
  readonly id: string;
  readonly subjectId: string;
  /** The lab the certificate names as its issuer. */
  readonly labId: string;
  readonly certificateNo: string;
  readonly performedOn: CalendarDate;
  readonly filedBy: string;
  readonly filedByKey: string;
  readonly filedAt: string;
  /** The import request as filed (the DCC, its sidecar, validity, the record id asked for). */
  readonly request: Readonly<Record<string, unknown>>;
  readonly unmapped: readonly string[];
  readonly decision: FiledDecision | null;
}

export function filedState(f: FiledCertificate): FiledState {
  return f.decision === null ? 'pending' : f.decision.decision;
}

/**
 * May this caller decide on this filing? Only the lab the certificate names
 * (it alone knows whether it issued it) or an admin; and only once.
 */
export function checkFiledDecider(caller: Caller, filed: FiledCertificate): void {
  const admin = caller.kind === 'key' && caller.role === 'admin';
  const issuer = caller.kind === 'key' && caller.role === 'lab' && caller.organisationId === filed.labId;
  if (!admin && !issuer) {
    const who = caller.kind === 'key' ? `${withArticle(caller.role)} key of '${caller.organisationId ?? 'no organisation'}'` : 'the public';
    fail(
      'FORBIDDEN',
      '',
      `${who} may not decide on certificate '${filed.certificateNo}': only the lab it names as issuer ('${filed.labId}') or an admin confirms or rejects it`,
    );
  }
  if (filed.decision !== null) {
    const what = filed.decision.decision === 'confirmed' ? `confirmed as record '${filed.decision.recordId}'` : `rejected (${filed.decision.reason})`;
    fail(
      'ALREADY_DECIDED',
      '',
      `filed certificate '${filed.id}' (${filed.certificateNo}) was already ${what} on ${filed.decision.decidedAt.slice(0, 10)}; a decision is final — file the certificate again if it was rejected in error`,
    );
  }
}
