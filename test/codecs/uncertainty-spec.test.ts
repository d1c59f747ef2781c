/** Every error path of the uncertainty contract: a bad spec never yields a number. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UncertaintyService } from '../../src/app/uncertainty.ts';
import { MetrologyError } from '../../src/core/errors.ts';

const service = new UncertaintyService();
const base = () => ({
  measurand: 'y',
  model: 'a * b',
  quantities: { a: { value: '2', u: '0.1' } as Record<string, unknown>, b: { value: '3', u: '0.2' } as Record<string, unknown> },
});

function rejects(spec: unknown, code: string, path: string, message?: RegExp): void {
  try {
    service.evaluate(spec);
  } catch (e) {
    assert.instance(e, MetrologyError, String(e));
    const err = e as MetrologyError;
    assert.is(err.code, code, `${err.code} at ${err.path}: ${err.message}`);
    assert.is(err.path, path, err.message);
    if (message) assert.match(err.message, message);
    assert.ok(err.message.length > 15, 'the message says what to do');
    return;
  }
  assert.unreachable(`expected ${code} at ${path}`);
}

const errors = suite('uncertainty spec errors');
const cases: Array<[string, () => unknown, string, string, RegExp?]> = [
  [
    'a model symbol that is not a quantity',
    () => ({ ...base(), model: 'l_x * b' }),
    'UNKNOWN_QUANTITY',
    '/model',
    /model uses 'l_x', which is not among the quantities/,
  ],
  ['an unparsable model', () => ({ ...base(), model: 'a * (b' }), 'INVALID_MODEL', '/model'],
  ['an unsupported function', () => ({ ...base(), model: 'gamma(a) * b' }), 'UNSUPPORTED_FUNCTION', '/model'],
  ['an assignment in the model', () => ({ ...base(), model: 'a = b' }), 'INVALID_MODEL', '/model'],
  ['a string in the model', () => ({ ...base(), model: 'a * "x"' }), 'INVALID_MODEL', '/model'],
  ['a JSON number', () => ({ ...base(), quantities: { a: { value: 2, u: '0.1' }, b: { value: '3', u: '0.2' } } }), 'JSON_NUMBER', '/quantities/a/value'],
  [
    'a malformed decimal',
    () => ({ ...base(), quantities: { a: { value: '2', u: '0.1.1' }, b: { value: '3', u: '0.2' } } }),
    'INVALID_DECIMAL',
    '/quantities/a/u',
  ],
  ['NaN', () => ({ ...base(), quantities: { a: { value: 'NaN', u: '0.1' }, b: { value: '3', u: '0.2' } } }), 'INVALID_DECIMAL', '/quantities/a/value'],
  [
    'a negative uncertainty',
    () => ({ ...base(), quantities: { a: { value: '2', u: '-0.1' }, b: { value: '3', u: '0.2' } } }),
    'NEGATIVE_UNCERTAINTY',
    '/quantities/a/u',
  ],
  [
    'a negative half-width',
    () => ({ ...base(), quantities: { a: { value: '2', distribution: 'rectangular', halfWidth: '-1' }, b: { value: '3', u: '0.2' } } }),
    'NEGATIVE_UNCERTAINTY',
    '/quantities/a/halfWidth',
  ],
  ['zero dof', () => ({ ...base(), quantities: { a: { value: '2', u: '0.1', dof: '0' }, b: { value: '3', u: '0.2' } } }), 'INVALID_DOF', '/quantities/a/dof'],
  [
    'a typo in a quantity field',
    () => ({ ...base(), quantities: { a: { value: '2', uu: '0.1' }, b: { value: '3', u: '0.2' } } }),
    'UNKNOWN_FIELD',
    '/quantities/a/uu',
  ],
  ['a typo at the top', () => ({ ...base(), coverge: { k: '2' } }), 'UNKNOWN_FIELD', '/coverge'],
  [
    'two forms at once',
    () => ({ ...base(), quantities: { a: { value: '2', u: '0.1', halfWidth: '0.2', distribution: 'rectangular' }, b: { value: '3', u: '0.2' } } }),
    'AMBIGUOUS_QUANTITY_FORM',
    '/quantities/a/u',
  ],
  ['no form at all', () => ({ ...base(), quantities: { a: { value: '2' }, b: { value: '3', u: '0.2' } } }), 'AMBIGUOUS_QUANTITY_FORM', '/quantities/a'],
  [
    'a distribution with u',
    () => ({ ...base(), quantities: { a: { value: '2', u: '0.1', distribution: 'rectangular' }, b: { value: '3', u: '0.2' } } }),
    'AMBIGUOUS_QUANTITY_FORM',
    '/quantities/a/distribution',
  ],
  [
    'expanded with both k and p',
    () => ({ ...base(), quantities: { a: { value: '2', expanded: '0.2', k: '2', coverageProbability: '0.95' }, b: { value: '3', u: '0.2' } } }),
    'AMBIGUOUS_QUANTITY_FORM',
    '/quantities/a/k',
  ],
  [
    'one observation',
    () => ({ ...base(), quantities: { a: { observations: ['2'] }, b: { value: '3', u: '0.2' } } }),
    'TOO_FEW_OBSERVATIONS',
    '/quantities/a/observations',
  ],
  [
    'pooledS without pooledDof',
    () => ({ ...base(), quantities: { a: { observations: ['2', '3'], pooledS: '0.1' }, b: { value: '3', u: '0.2' } } }),
    'MISSING_FIELD',
    '/quantities/a/pooledDof',
  ],
  ['a correlation beyond 1', () => ({ ...base(), correlations: [{ a: 'a', b: 'b', r: '1.2' }] }), 'INVALID_CORRELATION', '/correlations/0/r'],
  ['a correlation with an unknown quantity', () => ({ ...base(), correlations: [{ a: 'a', b: 'c', r: '0.5' }] }), 'INVALID_CORRELATION', '/correlations/0/b'],
  ['a self-correlation', () => ({ ...base(), correlations: [{ a: 'a', b: 'a', r: '0.5' }] }), 'INVALID_CORRELATION', '/correlations/0/b'],
  [
    'the same pair twice',
    () => ({
      ...base(),
      correlations: [
        { a: 'a', b: 'b', r: '0.5' },
        { a: 'b', b: 'a', r: '0.5' },
      ],
    }),
    'DUPLICATE_CORRELATION',
    '/correlations/1',
  ],
  [
    'correlations that cannot hold together',
    () => ({
      model: 'a + b + c',
      quantities: { a: { value: '1', u: '1' }, b: { value: '1', u: '1' }, c: { value: '1', u: '1' } },
      correlations: [
        { a: 'a', b: 'b', r: '0.9' },
        { a: 'b', b: 'c', r: '0.9' },
        { a: 'a', b: 'c', r: '-0.9' },
      ],
    }),
    'NOT_POSITIVE_SEMIDEFINITE',
    '/correlations',
  ],
  ['a probability of 1', () => ({ ...base(), coverage: { probability: '1' } }), 'INVALID_COVERAGE', '/coverage/probability'],
  ['both k and probability', () => ({ ...base(), coverage: { probability: '0.95', k: '2' } }), 'INVALID_COVERAGE', '/coverage'],
  ['a division by zero at the estimates', () => ({ ...base(), model: 'a / (b - 3)' }), 'EVALUATION_FAILED', '/model'],
  ['a log of a negative estimate', () => ({ ...base(), model: 'log(b - 5) * a' }), 'EVALUATION_FAILED', '/model'],
  ['an unknown method', () => ({ ...base(), method: 'bayes' }), 'INVALID_METHOD', '/method'],
  ['Monte Carlo options with lpu', () => ({ ...base(), trials: '1000' }), 'INVALID_METHOD', '/trials'],
  ['too many trials', () => ({ ...base(), method: 'monte-carlo', trials: '1000000000' }), 'INVALID_METHOD', '/trials'],
  ['a seed as a number', () => ({ ...base(), method: 'monte-carlo', seed: 42 }), 'JSON_NUMBER', '/seed'],
  [
    'a t-distributed correlated input in Monte Carlo',
    () => ({
      ...base(),
      quantities: { a: { value: '2', u: '0.1', dof: '5' }, b: { value: '3', u: '0.2' } },
      correlations: [{ a: 'a', b: 'b', r: '0.5' }],
      method: 'monte-carlo',
      trials: '1000',
    }),
    'INVALID_METHOD',
    '/quantities/a',
  ],
  ['no model', () => ({ quantities: base().quantities }), 'MISSING_FIELD', '/model'],
  ['model and outputs together', () => ({ ...base(), outputs: { y: 'a' } }), 'INVALID_FIELD', '/outputs'],
  ['a reserved quantity name', () => ({ model: 'pi * 2', quantities: { pi: { value: '3', u: '0.1' } } }), 'INVALID_FIELD', '/quantities/pi'],
  ['not an object', () => ['a'], 'INVALID_FIELD', ''],
];
for (const [what, spec, code, path, message] of cases) errors(`rejects ${what}: ${code} at ${path || '(root)'}`, () => rejects(spec(), code, path, message));
errors.run();

const forms = suite('uncertainty spec input forms');

forms('every input form gives the standard uncertainty the GUM defines', () => {
  const out = service.evaluate({
    model: 'a + b + c + d + h + f + g',
    quantities: {
      a: { value: '1', u: '0.3' },
      b: { observations: ['1', '2', '3', '4'] }, // s = √(5/3), u = s/2
      c: { value: '0', distribution: 'rectangular', halfWidth: '3' }, // √3
      d: { value: '0', distribution: 'triangular', halfWidth: '6' }, // √6
      h: { value: '0', distribution: 'u-shaped', halfWidth: '2' }, // √2
      f: { value: '0', expanded: '0.5', k: '2' }, // 0.25
      g: { value: '0', expanded: '1.2706204736174707', coverageProbability: '0.95', dof: '1' }, // U / t_95(1) ≈ 0.1
    },
    coverage: { k: '1' },
  }).json as { outputs: { y: { budget: Array<{ quantity: string; u: string; dof: string }>; value: string } } };
  const u = Object.fromEntries(out.outputs.y.budget.map((b) => [b.quantity, b.u]));
  assert.is(u.a, '0.3');
  assert.is(u.b!.slice(0, 12), '0.6454972243'); // √(5/3)/2
  assert.is(u.c!.slice(0, 12), '1.7320508075');
  assert.is(u.d!.slice(0, 12), '2.4494897427');
  assert.is(u.h!.slice(0, 12), '1.4142135623');
  assert.is(u.f, '0.25');
  assert.is(u.g!.slice(0, 6), '0.1000');
  assert.is(out.outputs.y.value, '3.5');
  const dof = Object.fromEntries(out.outputs.y.budget.map((b) => [b.quantity, b.dof]));
  assert.is(dof.b, '3');
  assert.is(dof.a, 'inf');
});

forms('a pooled standard deviation gives u = s_p/√n with the pooled dof', () => {
  const out = service.evaluate({ model: 'x', quantities: { x: { observations: ['10.1', '10.3'], pooledS: '0.2', pooledDof: '30' } } }).json as {
    outputs: { y: { budget: Array<{ u: string; dof: string }> } };
  };
  assert.is(out.outputs.y.budget[0]!.u.slice(0, 12), '0.1414213562');
  assert.is(out.outputs.y.budget[0]!.dof, '30');
});

forms('"u": "0" is an exact constant that contributes nothing', () => {
  const out = service.evaluate({ model: 'a * c', quantities: { a: { value: '2', u: '0.1' }, c: { value: '3', u: '0' } } }).json as {
    outputs: { y: Record<string, string> };
  };
  assert.is(out.outputs.y.standardUncertainty, '0.3');
  assert.is(out.outputs.y.effectiveDof, 'inf');
});

forms('"1e-6" is accepted on input; infinite dof is written "inf"', () => {
  const out = service.evaluate({ model: 'a', quantities: { a: { value: '1e-6', u: '1e-8', dof: 'inf' } } }).json as { outputs: { y: Record<string, string> } };
  assert.is(out.outputs.y.value, '0.000001');
  assert.is(out.outputs.y.standardUncertainty, '0.00000001');
});

forms.run();
