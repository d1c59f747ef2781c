import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { schemeState, type LotHistoryEntry } from '../../../src/core/sampling/switching.ts';

const steady = { productionSteady: true, authorityApprovesReduced: true };
// a plan with Ac 2 (tighter Ac 1)
const ok = (nonconforming = 0): LotHistoryEntry => ({ accepted: true, acceptance: 2, nonconforming, tighterAcceptance: 1 });
const bad: LotHistoryEntry = { accepted: false, acceptance: 2, nonconforming: 3, tighterAcceptance: 1 };

test('an empty history is normal inspection', () => {
  assert.equal(schemeState([], steady).state, 'normal');
});

test('normal → tightened: 2 not accepted within 5 consecutive lots; not when they are 6 apart', () => {
  assert.is(schemeState([ok(), bad, ok(), ok(), bad], steady).state, 'tightened');
  assert.is(schemeState([bad, ok(), ok(), ok(), ok(), bad], steady).state, 'normal');
});

test('tightened → normal after 5 consecutive acceptances, and not after 4', () => {
  const toTight = [bad, bad];
  assert.is(schemeState([...toTight, ok(), ok(), ok(), ok()], steady).state, 'tightened');
  const s = schemeState([...toTight, ok(), ok(), ok(), ok(), ok()], steady);
  assert.is(s.state, 'normal');
  assert.match(s.reason, /5 consecutive lots accepted on tightened/);
});

test('tightened → discontinued when 5 lots are not accepted on tightened inspection', () => {
  // the first two switch to tightened; then 5 not accepted (with acceptances between) discontinue
  const s = schemeState([bad, bad, bad, ok(), bad, bad, ok(), bad, bad], steady);
  assert.is(s.state, 'discontinued');
  assert.is(schemeState([bad, bad, bad, ok(), bad, bad, ok(), bad], steady).state, 'tightened');
});

test('switching score: +3 per lot accepted one step tighter (Ac ≥ 2), reset otherwise; reduced at 30 with the conditions', () => {
  const ten = Array.from({ length: 10 }, () => ok(1));
  const s = schemeState(ten, steady);
  assert.is(s.switchingScore, 30);
  assert.is(s.state, 'reduced');
  // a lot accepted but not one step tighter (2 > tighter Ac 1) resets the score
  const reset = schemeState([...ten.slice(0, 9), ok(2)], steady);
  assert.equal([reset.state, reset.switchingScore], ['normal', 0]);
  // without the authority's approval: eligible, not switched
  const held = schemeState(ten, { productionSteady: true, authorityApprovesReduced: false });
  assert.equal([held.state, held.reducedEligible], ['normal', true]);
});

test('switching score with Ac 0 or 1: +2 per accepted lot', () => {
  const lot: LotHistoryEntry = { accepted: true, acceptance: 0, nonconforming: 0, tighterAcceptance: null };
  assert.is(
    schemeState(
      Array.from({ length: 14 }, () => lot),
      steady,
    ).switchingScore,
    28,
  );
  assert.is(
    schemeState(
      Array.from({ length: 15 }, () => lot),
      steady,
    ).state,
    'reduced',
  );
});

test('reduced → normal on a lot not accepted, or on irregular production', () => {
  const ten = Array.from({ length: 10 }, () => ok(1));
  assert.is(schemeState([...ten, bad], steady).state, 'normal');
  assert.is(schemeState([...ten, { ...ok(0), irregular: true }], steady).state, 'normal');
  assert.is(schemeState([...ten, ok(0)], steady).state, 'reduced');
});

test.run();
