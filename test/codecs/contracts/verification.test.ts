/** The verification contracts' own formats: the catalogue category key, the interval query's figures, the states described; read through readContract. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CATEGORY_HINT, Category, IntervalQuery, PolicyInput, VerificationState } from '../../../src/codecs/contracts/verification.ts';
import { VERIFICATION_STATES } from '../../../src/core/verification/status.ts';
import { contractRefusal } from '../../helpers/refusal.ts';

const refusal = contractRefusal;

const it = suite('verification contracts');

it('a category is MV and three digits, refused with its hint', () => {
  const policy = (category: string) =>
    refusal(PolicyInput, { regulatorId: 'r', category, intervalMonths: 6, validFrom: '2026-01-01', validUntil: '2026-12-31' });
  assert.is(policy('MV016'), 'ok');
  for (const bad of ['MV16', 'mv016', 'XX016', 'MV0160']) assert.equal(policy(bad), ['INVALID_FIELD', '/category', CATEGORY_HINT], bad);
  assert.is(Category.pattern, '^MV[0-9]{3}$');
});

it('the interval query: R in (0, 1) to six places, the extension factor, the initial interval in months', () => {
  const q = (query: Record<string, unknown>) => {
    const r = refusal(IntervalQuery, query);
    return r === 'ok' ? r : r[1];
  };
  for (const ok of [
    { reliability: '0.9' },
    { reliability: '.95' },
    { reliability: '0.999999' },
    { extension: '0.1' },
    { extension: '1' },
    { initial: '12' },
    { initial: '6.5' },
  ])
    assert.is(q(ok), 'ok', JSON.stringify(ok));
  assert.is(q({ reliability: '1' }), '/reliability');
  assert.is(q({ reliability: '0.1234567' }), '/reliability');
  assert.is(q({ extension: '0.1234567' }), '/extension');
  assert.is(q({ initial: '1234' }), '/initial');
  assert.is(q({ initial: '12.3456' }), '/initial');
  assert.is(q({ method: 'guess' }), '/method');
  assert.is(q({ method: 'staircase' }), 'ok');
});

it('a verification state: every state of the core, each described', () => {
  const schema = VerificationState as unknown as { enum: string[]; description: string };
  assert.equal(schema.enum, Object.keys(VERIFICATION_STATES));
  for (const [k, v] of Object.entries(VERIFICATION_STATES)) assert.match(schema.description, `${k}: ${v}`);
});

it.run();
