/** The supervision contracts' own formats: region prefixes, photo digests, inspector conflicts, sample rules without examples; read through readContract. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InspectionInput, PlanInput, REGION_PREFIX, SampleInput } from '../../../src/codecs/contracts/supervision.ts';
import { contractRefusal } from '../../helpers/refusal.ts';

const refusal = contractRefusal;
const inspection = (over: Record<string, unknown> = {}) => ({
  equipmentId: 'scale-1',
  inspectedOn: '2026-11-20',
  inspectors: ['王磊'],
  findings: { labelPresent: true },
  ...over,
});
const plan = (over: Record<string, unknown> = {}) => ({
  title: 't',
  drawDate: '2026-11-25',
  seed: '12345678',
  filter: { region: '31' },
  sample: { size: 1 },
  inspectors: [{ id: 'i1' }],
  ...over,
});

const it = suite('supervision contracts');

it('a region prefix: a province (2 digits), a city (4) or a district (6)', () => {
  for (const ok of ['31', '3101', '310104']) assert.ok(REGION_PREFIX.test(ok), ok);
  for (const bad of ['3', '310', '31010', '3101041', '31a1']) assert.not.ok(REGION_PREFIX.test(bad), bad);
  const r = refusal(PlanInput, plan({ filter: { region: '310' } }));
  assert.ok(r !== 'ok' && r[0] === 'INVALID_FIELD' && r[1] === '/filter/region' && r[2].includes('first two or four digits'));
  assert.equal((refusal(PlanInput, plan({ inspectors: [{ id: 'i1', regions: ['3101', '3'] }] })) as string[]).slice(0, 2), [
    'INVALID_FIELD',
    '/inspectors/0/regions/1',
  ]);
});

it('a photo is its SHA-256 digest: 64 lower-case hex digits', () => {
  assert.is(refusal(InspectionInput, inspection({ photos: ['ab'.repeat(32)] })), 'ok');
  for (const bad of ['AB'.repeat(32), 'ab'.repeat(31), `${'ab'.repeat(32)}0`, 'g'.repeat(64)]) {
    const r = refusal(InspectionInput, inspection({ photos: [bad] }));
    assert.ok(r !== 'ok' && r[1] === '/photos/0' && r[2].includes('SHA-256'), bad);
  }
});

it("an inspector's conflicts name organisation ids", () => {
  assert.is(refusal(PlanInput, plan({ inspectors: [{ id: 'i1', conflicts: ['market-1'] }] })), 'ok');
  const r = refusal(PlanInput, plan({ inspectors: [{ id: 'i1', conflicts: ['market 1'] }] }));
  assert.ok(r !== 'ok' && r[1] === '/inspectors/0/conflicts/0' && r[2] === 'a conflict names an organisation id');
});

it('a sample rule: a size of 1 to 1,000,000 or a decimal rate, its decimal schema without examples', () => {
  assert.is(refusal(SampleInput, { size: 1_000_000 }), 'ok');
  assert.equal((refusal(SampleInput, { size: 0 }) as string[]).slice(0, 2), ['INVALID_FIELD', '/size']);
  assert.equal((refusal(SampleInput, { rate: 0.05 }) as string[]).slice(0, 2), ['JSON_NUMBER', '/rate']);
  assert.equal((refusal(SampleInput, { rate: 'five' }) as string[]).slice(0, 2), ['INVALID_DECIMAL', '/rate']);
  const rate = (SampleInput.properties.rate as unknown as { anyOf: Array<Record<string, unknown>> }).anyOf[0]!;
  assert.not.ok('examples' in rate);
  assert.is(rate.pattern !== undefined && rate['x-error-code'], 'INVALID_DECIMAL');
  assert.is(rate.description, 'a fraction in (0, 1]');
});

it.run();
