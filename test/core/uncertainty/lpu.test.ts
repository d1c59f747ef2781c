/**
 * The law of propagation on models small enough to work out by hand: the
 * estimate, sensitivities, u_c, ν_eff truncated for k (GUM G.4.1), U, the
 * interval, the budget and its shares, the statement, and the covariance of
 * two outputs (GUM H.2). The published examples are test/conformance/.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../../src/core/errors.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { Correlations } from '../../../src/core/uncertainty/correlation.ts';
import { evaluateLpu } from '../../../src/core/uncertainty/lpu.ts';
import type { Coverage, EvaluationSpec, InputQuantity } from '../../../src/core/uncertainty/spec.ts';

const input = (name: string, value: string, u: string, dof: number = Infinity): InputQuantity => ({
  name,
  value: new Decimal(value),
  u: new Decimal(u),
  dof: new Decimal(dof),
  unit: null,
  form: 'standard',
  sampling: dof === Infinity ? { kind: 'normal' } : { kind: 't', dof: new Decimal(dof) },
});
const spec = (outputs: Record<string, string>, quantities: InputQuantity[], coverage: Coverage, correlations = new Correlations<string>()): EvaluationSpec => ({
  outputs: Object.entries(outputs).map(([name, expression], i) => ({ name, expression, path: `/outputs/${i}/expression` })),
  quantities,
  correlations,
  coverage,
  method: { kind: 'lpu' },
});
const k2: Coverage = { kind: 'k', k: new Decimal(2) };
const s = (x: Decimal, digits = 25) => x.toSignificantDigits(digits).toString();

test('P = V²/R: cᵥ = 2V/R, c_R = −V²/R², u_c² = (0.4·0.1)² + (0.04·0.5)² = 0.002', () => {
  const [p] = evaluateLpu(spec({ P: 'V^2 / R' }, [input('V', '10', '0.1'), input('R', '50', '0.5')], k2)).outputs;
  assert.is(p!.value.toString(), '2');
  assert.equal(
    p!.budget.map((r) => [r.quantity, r.sensitivity.toString(), r.contribution.toString(), s(r.share, 20)]),
    [
      ['V', '0.4', '0.04', '0.8'],
      ['R', '-0.04', '0.02', '0.2'],
    ],
  );
  assert.is(s(p!.standardUncertainty), '0.04472135954999579392818347');
  assert.not.ok(p!.effectiveDof.isFinite());
  assert.is(s(p!.expandedUncertainty), '0.08944271909999158785636695');
  assert.equal(
    p!.interval.map((x) => s(x)),
    ['1.910557280900008412143633', '2.089442719099991587856367'],
  );
  assert.is(s(p!.coverageProbability, 10), '0.9544997361');
  assert.not.ok(p!.probabilityRequested);
  // U to two significant digits, the value to the same place (GUM 7.2.6); p to two digits when k was given
  assert.is(p!.reported, 'P = 2.000 ± 0.089, k = 2, p ≈ 95 %');
});

test('ν_eff = 22500/1753 = 12.8 is truncated to 12 for k at 95 % (t = 2.1788…)', () => {
  const [y] = evaluateLpu(
    spec({ y: 'a + b' }, [input('a', '1', '3', 4), input('b', '2', '4', 9)], { kind: 'probability', probability: new Decimal('0.95') }),
  ).outputs;
  assert.equal([y!.value.toString(), y!.standardUncertainty.toString()], ['3', '5']);
  assert.is(s(y!.effectiveDof, 10), '12.83513976');
  assert.is(s(y!.coverageFactor, 20), '2.1788128296672288663');
  assert.is(s(y!.expandedUncertainty, 15), '10.8940641483361');
  assert.ok(y!.probabilityRequested);
});

test('fully correlated inputs cancel in a difference; a negative variance is refused', () => {
  const r = (value: string) => {
    const c = new Correlations<string>();
    c.set('a', 'b', new Decimal(value));
    return c;
  };
  const [d] = evaluateLpu(spec({ d: 'a - b' }, [input('a', '5', '0.3'), input('b', '2', '0.3')], k2, r('1'))).outputs;
  assert.equal([d!.value.toString(), d!.standardUncertainty.toString(), d!.budget.map((b) => b.share.toString())], ['3', '0', ['0', '0']]);
  const [sum] = evaluateLpu(spec({ s: 'a + b' }, [input('a', '5', '0.3'), input('b', '2', '0.4')], k2, r('0.5'))).outputs;
  assert.is(sum!.standardUncertainty.pow(2).toSignificantDigits(30).toString(), '0.37', '0.09 + 0.16 + 2·0.3·0.4·0.5');
});

test('two outputs of the same inputs: their covariance and correlation (GUM H.2), symmetric', () => {
  const result = evaluateLpu(spec({ sum: 'a + b', diff: 'a - b' }, [input('a', '5', '3'), input('b', '2', '4')], k2));
  assert.equal(
    result.outputs.map((o) => [o.name, o.value.toString(), o.standardUncertainty.toString()]),
    [
      ['sum', '7', '5'],
      ['diff', '3', '5'],
    ],
  );
  // u(sum, diff) = u(a)² − u(b)² = 9 − 16
  assert.equal([result.covariance.get('sum')!.get('diff')!.toString(), result.covariance.get('diff')!.get('sum')!.toString()], ['-7', '-7']);
  assert.is(result.correlation.get('sum')!.get('diff')!.toString(), '-0.28');
  assert.is(evaluateLpu(spec({ only: 'a' }, [input('a', '1', '1')], k2)).covariance.size, 0);
});

test('a model not finite at the estimates is refused at its path', () => {
  try {
    evaluateLpu(spec({ y: 'a / b' }, [input('a', '1', '0.1'), input('b', '0', '0.1')], k2));
    assert.unreachable('a division by zero evaluated');
  } catch (e) {
    assert.instance(e, MetrologyError);
    assert.equal([(e as MetrologyError).code, (e as MetrologyError).path], ['EVALUATION_FAILED', '/outputs/0/expression']);
  }
});

test.run();
