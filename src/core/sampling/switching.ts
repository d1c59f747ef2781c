/**
 * The switching rules of GB/T 2828.1-2012 / ISO 2859-1:1999 (clause 9) as a
 * pure function of a history of lots inspected in order.
 *
 * - Normal → tightened: 2 lots not accepted within 5 or fewer consecutive lots
 *   on normal inspection.
 * - Tightened → normal: 5 consecutive lots accepted on tightened inspection.
 * - Tightened → discontinued: the lots not accepted while on tightened
 *   inspection (one uninterrupted stretch of it) reach 5 in total.
 * - Normal → reduced: the switching score reaches 30 and the production is at
 *   a steady rate and the responsible authority approves (both are the
 *   caller's to state). The score starts at 0 when normal inspection starts;
 *   after each lot: with Ac 0 or 1, +2 when accepted, else back to 0; with
 *   Ac ≥ 2, +3 when the lot would also have been accepted one AQL step
 *   tighter, else back to 0.
 * - Reduced → normal: a lot not accepted, or production irregular (the
 *   caller's flag on the lot).
 */
import type { Severity } from './plans.ts';

export type SchemeState = Severity | 'discontinued';

export interface LotHistoryEntry {
  readonly accepted: boolean;
  /** The plan's acceptance number. */
  readonly acceptance: number;
  /** Nonconforming items found. */
  readonly nonconforming: number;
  /** Ac one AQL step tighter at the same sample size (plans.ts tighterAcceptance); null when there is none. */
  readonly tighterAcceptance: number | null;
  /** The production was irregular or delayed around this lot (returns reduced inspection to normal). */
  readonly irregular?: boolean;
}

export interface SwitchingOptions {
  /** Production at a steady rate, as the responsible authority judges it. */
  readonly productionSteady: boolean;
  /** The responsible authority approves reduced inspection. */
  readonly authorityApprovesReduced: boolean;
}

export interface SchemeStatus {
  readonly state: SchemeState;
  readonly switchingScore: number;
  /** Why the scheme is in this state, in words. */
  readonly reason: string;
  /** Reduced inspection would apply but a condition outside the history is missing. */
  readonly reducedEligible: boolean;
}

export function schemeState(history: readonly LotHistoryEntry[], options: SwitchingOptions): SchemeStatus {
  let state: SchemeState = 'normal';
  let reason = 'inspection starts at normal severity';
  let score = 0;
  let recent: boolean[] = []; // accepted flags of the lots since normal inspection (re)started
  let tightenedAccepted = 0;
  let tightenedRejected = 0;
  let lotNumber = 0;
  for (const lot of history) {
    lotNumber++;
    if (state === 'discontinued') break;
    if (state === 'normal') {
      recent.push(lot.accepted);
      if (lot.acceptance <= 1) score = lot.accepted ? score + 2 : 0;
      else score = lot.accepted && lot.tighterAcceptance !== null && lot.nonconforming <= lot.tighterAcceptance ? score + 3 : 0;
      const window = recent.slice(-5);
      if (!lot.accepted && window.filter((a) => !a).length >= 2) {
        state = 'tightened';
        reason = `lot ${lotNumber}: 2 of the last ${window.length} consecutive lots on normal inspection were not accepted`;
        tightenedAccepted = 0;
        tightenedRejected = 0;
        score = 0;
        continue;
      }
      if (score >= 30 && options.productionSteady && options.authorityApprovesReduced) {
        state = 'reduced';
        reason = `lot ${lotNumber}: switching score ${score} ≥ 30, production steady, reduced inspection approved`;
      }
      continue;
    }
    if (state === 'tightened') {
      if (lot.accepted) {
        tightenedAccepted++;
        if (tightenedAccepted >= 5) {
          state = 'normal';
          reason = `lot ${lotNumber}: 5 consecutive lots accepted on tightened inspection`;
          recent = [];
          score = 0;
        }
      } else {
        tightenedAccepted = 0;
        tightenedRejected++;
        if (tightenedRejected >= 5) {
          state = 'discontinued';
          reason = `lot ${lotNumber}: 5 lots not accepted while on tightened inspection; acceptance is discontinued until the supplier has improved`;
        }
      }
      continue;
    }
    // reduced
    if (!lot.accepted || lot.irregular) {
      state = 'normal';
      reason = `lot ${lotNumber}: ${lot.accepted ? 'production irregular' : 'a lot not accepted'} on reduced inspection`;
      recent = [];
      score = 0;
    }
  }
  const reducedEligible = state === 'normal' && score >= 30;
  if (reducedEligible && state === 'normal') {
    reason += `; switching score ${score} ≥ 30, but reduced inspection also needs steady production and the authority's approval`;
  }
  return { state, switchingScore: score, reason, reducedEligible };
}
