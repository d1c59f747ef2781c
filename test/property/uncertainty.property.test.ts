/**
 * Properties of the uncertainty engine over random specs (fast-check, fixed
 * seed so CI is reproducible; METROTRACE_FUZZ_RUNS raises the run count).
 */
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UncertaintyService } from '../../src/app/uncertainty.ts';
import { Decimal } from '../../src/core/numeric/decimal.ts';

const service = new UncertaintyService();
const runs = Number(process.env.METROTRACE_FUZZ_RUNS ?? 40);
const params = { seed: 20261125, numRuns: runs };

const decimalText = (min: number, max: number, scale: number) => fc.integer({ min, max }).map((n) => new Decimal(n).div(10 ** scale).toString());
const input = fc.record({
  value: decimalText(-100000, 100000, 3),
  u: decimalText(1, 5000, 4),
  coefficient: decimalText(-500, 500, 2),
  dof: fc.oneof(fc.constant('inf'), fc.integer({ min: 1, max: 60 }).map(String)),
});
const inputs = fc.array(input, { minLength: 1, maxLength: 8 });

function linearSpec(xs: Array<{ value: string; u: string; coefficient: string; dof: string }>, order = xs.map((_, i) => i)) {
  return {
    model: order.map((i) => `(${xs[i]!.coefficient}) * x${i}`).join(' + '),
    quantities: Object.fromEntries(order.map((i) => [`x${i}`, { value: xs[i]!.value, u: xs[i]!.u, dof: xs[i]!.dof }])),
  };
}

type Out = { value: string; standardUncertainty: string; effectiveDof: string; expandedUncertainty: string };
const evaluate = (spec: unknown) => (service.evaluate(spec).json.outputs as Record<string, Out>).y!;

const it = suite('uncertainty properties');

it('a linear model gives exactly the analytic value and variance Σ(cᵢuᵢ)²', () => {
  fc.assert(
    fc.property(inputs, (xs) => {
      const out = evaluate(linearSpec(xs));
      const value = xs.reduce((s, x) => s.plus(new Decimal(x.coefficient).times(x.value)), new Decimal(0));
      const variance = xs.reduce((s, x) => s.plus(new Decimal(x.coefficient).times(x.u).pow(2)), new Decimal(0));
      assert.is(out.value, value.toString());
      if (!variance.isZero()) assert.ok(new Decimal(out.standardUncertainty).pow(2).minus(variance).abs().lessThanOrEqualTo(variance.times('1e-36')));
    }),
    params,
  );
});

it('permuting the inputs changes nothing', () => {
  fc.assert(
    fc.property(inputs, fc.nat(), (xs, seed) => {
      const order = xs.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = (seed + i * 7919) % (i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      // Equal to 35 significant digits: the order of summation may move the 40th digit of an inexact division.
      const digits = (v: unknown): unknown =>
        typeof v === 'string' && /^-?[0-9.]+$/.test(v)
          ? new Decimal(v).toSignificantDigits(35).toString()
          : Array.isArray(v)
            ? v.map(digits)
            : v && typeof v === 'object'
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, digits(x)]))
              : v;
      const sorted = (o: Out & { budget?: Array<{ quantity: string }> }) =>
        digits({ ...o, budget: [...(o.budget ?? [])].sort((a, b) => a.quantity.localeCompare(b.quantity)) });
      assert.equal(sorted(evaluate(linearSpec(xs, order))), sorted(evaluate(linearSpec(xs))));
    }),
    params,
  );
});

it('scaling the model by a constant scales u_c and keeps ν_eff', () => {
  fc.assert(
    fc.property(inputs, fc.integer({ min: 2, max: 1000 }), (xs, factor) => {
      const spec = linearSpec(xs);
      const plain = evaluate(spec);
      const scaled = evaluate({ ...spec, model: `${factor} * (${spec.model})` });
      assert.ok(
        new Decimal(scaled.standardUncertainty)
          .minus(new Decimal(plain.standardUncertainty).times(factor))
          .abs()
          .lessThanOrEqualTo(new Decimal(scaled.standardUncertainty).times('1e-35')),
      );
      if (plain.effectiveDof === 'inf') assert.is(scaled.effectiveDof, 'inf');
      else assert.ok(new Decimal(scaled.effectiveDof).minus(plain.effectiveDof).abs().lessThan('1e-30'));
    }),
    params,
  );
});

it('Monte Carlo agrees with LPU for linear models with normal inputs, within the JCGM 101 tolerance', () => {
  fc.assert(
    fc.property(fc.array(input, { minLength: 1, maxLength: 4 }), (xs) => {
      const spec = linearSpec(xs.map((x) => ({ ...x, dof: 'inf' })));
      const mc = service.evaluate({ ...spec, method: 'monte-carlo', trials: '200000', seed: '11' }).json.outputs as Record<
        string,
        { standardUncertainty: string; validation: { passed: boolean } }
      >;
      const lpu = evaluate(spec);
      const ratio = Number(mc.y!.standardUncertainty) / Number(lpu.standardUncertainty);
      assert.ok(Math.abs(ratio - 1) < 0.01, `u(MC)/u(LPU) = ${ratio}`);
    }),
    { seed: 20261125, numRuns: Math.min(runs, 8) },
  );
});

it.run();
