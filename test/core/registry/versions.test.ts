/**
 * Scope and CMC versions (issue #18, item 2): the version in force on a day,
 * the refusals of amendments that cannot follow the history, and the history
 * as validity periods agreeing with the version in force on every day.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addDays, type CalendarDate } from '../../../src/core/dates.ts';
import { MetrologyError } from '../../../src/core/errors.ts';
import type { DecimalText } from '../../../src/core/numeric/decimal.ts';
import type { Cmc, LabScope } from '../../../src/core/registry/types.ts';
import {
  amendCmc,
  amendScope,
  type AmendmentHead,
  inForceAt,
  originalVersion,
  periods,
  type ScopeVersion,
  versionAt,
} from '../../../src/core/registry/versions.ts';
import { authorised } from '../../../src/core/traceability/chain.ts';
import type { Equipment } from '../../../src/core/registry/types.ts';

const d = (s: string) => s as CalendarDate;
const t = (s: string) => s as DecimalText;

const SCOPE: LabScope = {
  id: 'scope-mass',
  labId: 'station',
  quantity: 'mass',
  category: 'MV016',
  range: { min: t('0'), max: t('300'), unit: 'kg' },
  mandatoryVerification: true,
  validFrom: d('2022-03-01'),
  validUntil: d('2026-06-30'),
  authorisationNo: '(沪)法计(2022)01016号',
  issuedBy: 'city-samr',
};

const head = (id: string, effectiveFrom: string, kind: 'amend' | 'withdraw' = 'amend'): AmendmentHead => ({
  id,
  kind,
  effectiveFrom: d(effectiveFrom),
  reason: null,
});

/** The scope as created, narrowed to 0–30 kg from 2024-01-01, extended to 2028 from 2026-07-01, withdrawn from 2027-03-01. */
function history(): ScopeVersion[] {
  const h: ScopeVersion[] = [originalVersion(SCOPE)];
  h.push(amendScope(h, head('a-narrow', '2024-01-01'), { range: { min: t('0'), max: t('30'), unit: 'kg' } }));
  h.push(amendScope(h, head('a-extend', '2026-07-01'), { validUntil: d('2028-02-29'), authorisationNo: '(沪)法计(2026)01016号' }));
  h.push(amendScope(h, head('a-withdraw', '2027-03-01', 'withdraw'), {}));
  return h;
}

function refusal(work: () => unknown): MetrologyError {
  try {
    work();
  } catch (e) {
    if (e instanceof MetrologyError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

test('the version in force on a day is the latest whose effectiveFrom is on or before it; a withdrawal means none', () => {
  const h = history();
  assert.equal(
    h.map((v) => [v.version, v.kind]),
    [
      [1, 'original'],
      [2, 'amend'],
      [3, 'amend'],
      [4, 'withdraw'],
    ],
  );
  assert.is(versionAt(h, d('2022-02-28')), undefined, 'before the scope takes effect');
  assert.is(versionAt(h, d('2022-03-01'))!.version, 1);
  assert.is(versionAt(h, d('2023-12-31'))!.version, 1);
  assert.is(versionAt(h, d('2024-01-01'))!.version, 2, 'an amendment is in force from its effectiveFrom');
  assert.is(versionAt(h, d('2026-06-30'))!.version, 2);
  assert.is(versionAt(h, d('2026-07-01'))!.version, 3);
  assert.is(versionAt(h, d('2027-03-01'))!.kind, 'withdraw');
  assert.is(inForceAt(h, d('2023-05-05'))!.range!.max, '300');
  assert.is(inForceAt(h, d('2025-05-05'))!.range!.max, '30', 'narrowed');
  assert.is(inForceAt(h, d('2026-08-01'))!.validUntil, '2028-02-29', 'extended');
  assert.is(inForceAt(h, d('2026-08-01'))!.authorisationNo, '(沪)法计(2026)01016号');
  assert.is(inForceAt(h, d('2026-08-01'))!.issuedBy, 'city-samr', 'carried over');
  assert.is(inForceAt(h, d('2027-02-28'))!.id, 'scope-mass');
  assert.is(inForceAt(h, d('2027-03-01')), null, 'withdrawn');
  // the order the versions come in does not matter
  assert.is(inForceAt([...h].reverse(), d('2025-05-05'))!.range!.max, '30');
});

test('a version in force but not valid that day is not in force: validity still applies', () => {
  const h = [originalVersion(SCOPE)];
  assert.is(inForceAt(h, d('2026-07-01')), null, 'expired');
  const extended = [...h, amendScope(h, head('x', '2026-07-01'), { validUntil: d('2027-06-30') })];
  assert.is(inForceAt(extended, d('2026-07-01'))!.validUntil, '2027-06-30', 'an extension effective after the expiry clears it');
});

test('the periods of a history agree with the version in force on every day, so validity checks read that version', () => {
  const h = history();
  const ps = periods(h);
  assert.equal(
    ps.map((p) => [p.validFrom, p.validUntil, p.range!.max]),
    [
      ['2022-03-01', '2023-12-31', '300'],
      ['2024-01-01', '2026-06-30', '30'],
      ['2026-07-01', '2027-02-28', '30'],
    ],
  );
  for (let day = d('2022-01-01'); day <= d('2028-12-31'); day = addDays(day, 7)) {
    const held = ps.filter((p) => p.validFrom <= day && day <= p.validUntil);
    const expected = inForceAt(h, day);
    assert.is(held.length, expected ? 1 : 0, day);
    if (expected) assert.equal(held[0], { ...expected, validFrom: held[0]!.validFrom, validUntil: held[0]!.validUntil }, day);
  }
  // as the registry's authority check reads them: 100 kg scale before and after the narrowing
  const scale = { id: 'scale', quantity: 'mass', category: 'MV016', range: { min: '0.5', max: '100', unit: 'kg' } } as unknown as Equipment;
  assert.ok(authorised(ps, scale, d('2023-12-31'), { mandatoryVerification: true }));
  assert.not.ok(authorised(ps, scale, d('2024-01-01'), { mandatoryVerification: true }));
});

test('refusals: out of order, before the scope itself, after a withdrawal, a change of nothing, a withdrawal that changes something', () => {
  const h = history().slice(0, 2);
  const late = refusal(() => amendScope(h, head('y', '2024-01-01'), { validUntil: d('2029-01-01') }));
  assert.equal([late.code, late.path], ['AMENDMENT_OUT_OF_ORDER', '/effectiveFrom']);
  assert.match(late.message, /version 2 in force from 2024-01-01/);
  const early = refusal(() => amendScope([originalVersion(SCOPE)], head('y', '2022-02-01'), { validUntil: d('2029-01-01') }));
  assert.equal([early.code, early.path], ['AMENDMENT_OUT_OF_ORDER', '/effectiveFrom']);
  assert.match(early.message, /takes effect on 2022-03-01/);
  const withdrawn = refusal(() => amendScope(history(), head('y', '2027-06-01'), { validUntil: d('2030-01-01') }));
  assert.equal([withdrawn.code, withdrawn.path], ['INVALID_TRANSITION', '/kind']);
  assert.equal(
    refusal(() => amendScope(h, head('y', '2025-01-01'), { range: { min: t('0'), max: t('30'), unit: 'kg' } })).code,
    'INVALID_FIELD',
    'the same range again changes nothing',
  );
  assert.equal(refusal(() => amendScope(h, head('y', '2025-01-01', 'withdraw'), { validUntil: d('2030-01-01') })).path, '/validUntil');
  assert.equal(refusal(() => amendScope(h, head('y', '2025-01-01'), { range: { min: t('40'), max: t('30'), unit: 'kg' } })).code, 'INVALID_RANGE');
  const ends = refusal(() => amendScope(h, head('y', '2025-01-01'), { validUntil: d('2024-12-31') }));
  assert.equal([ends.code, ends.path], ['INVALID_RANGE', '/validUntil']);
  assert.match(ends.message, /withdraw it/);
});

test('a CMC amended to the other uncertainty form drops the first; refusals as for scopes', () => {
  const cmc: Cmc = {
    id: 'cmc-mass',
    labId: 'institute',
    quantity: 'mass',
    range: { min: t('0.01'), max: t('2'), unit: 'kg' },
    expandedUncertainty: t('0.000050'),
    relativeExpandedUncertainty: null,
    coverageFactor: t('2'),
    validFrom: d('2021-06-01'),
    validUntil: d('2027-05-31'),
  };
  const h = [originalVersion(cmc)];
  const v2 = amendCmc(h, head('c2', '2026-01-01'), { relativeExpandedUncertainty: '0.00004' });
  assert.equal([v2.version, v2.state!.expandedUncertainty, v2.state!.relativeExpandedUncertainty], [2, null, '0.00004']);
  assert.is(inForceAt([...h, v2], d('2025-12-31'))!.expandedUncertainty, '0.000050');
  assert.is(
    refusal(() => amendCmc(h, head('c2', '2026-01-01'), { expandedUncertainty: '1', relativeExpandedUncertainty: '0.1' })).code,
    'AMBIGUOUS_QUANTITY_FORM',
  );
  assert.is(refusal(() => amendCmc(h, head('c2', '2026-01-01'), { coverageFactor: '0' })).code, 'INVALID_FIELD');
  const gone = amendCmc(h, head('c2', '2026-01-01', 'withdraw'), {});
  assert.is(gone.state, null);
  assert.equal(
    periods([...h, gone]).map((p) => [p.validFrom, p.validUntil]),
    [['2021-06-01', '2025-12-31']],
  );
  assert.is(refusal(() => amendCmc([...h, gone], head('c3', '2026-02-01'), { coverageFactor: '2.1' })).code, 'INVALID_TRANSITION');
});

test.run();
