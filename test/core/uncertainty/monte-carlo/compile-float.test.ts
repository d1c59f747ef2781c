import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { flatten } from '../../../../src/core/model/flatten.ts';
import { math } from '../../../../src/core/numeric/math.ts';
import { compileColumns } from '../../../../src/core/uncertainty/monte-carlo/compile-float.ts';

const it = suite('Monte Carlo model compiled over columns');

/** Runs the compiled model over columns of the given values; returns out. */
function run(model: string, names: string[], columns: number[][], flat = true): number[] {
  const f = compileColumns(flat ? flatten(math.parse(model)) : math.parse(model), names);
  const n = columns[0]?.length ?? 3;
  const out = new Float64Array(n);
  f(
    columns.map((c) => Float64Array.from(c)),
    out,
    n,
  );
  return [...out];
}

it('evaluates the model row by row, inputs by column order', () => {
  assert.equal(
    run(
      'a * b - c / d',
      ['a', 'b', 'c', 'd'],
      [
        [1, 2, 3],
        [4, 5, 6],
        [8, 9, 10],
        [2, 3, 4],
      ],
    ),
    [0, 7, 15.5],
  );
  assert.equal(
    run(
      'b - a',
      ['a', 'b'],
      [
        [1, 2],
        [10, 20],
      ],
    ),
    [9, 18],
    'the name, not the position in the model, picks the column',
  );
  assert.equal(run('a - b - c', ['a', 'b', 'c'], [[10], [3], [2]], false), [5], 'binary subtraction as mathjs parses it');
  assert.equal(run('(a + b) * -c', ['a', 'b', 'c'], [[1], [2], [3]], false), [-9], 'parentheses and unary minus');
  assert.equal(run('+a', ['a'], [[-2]]), [-2]);
});

it('powers, constants and the supported functions', () => {
  assert.equal(run('a ^ 2 + a ^ 0.5', ['a'], [[4, 9]]), [18, 84]);
  assert.equal(run('pi * r ^ 2', ['r'], [[1, 2]]), [Math.PI, 4 * Math.PI]);
  assert.equal(run('e ^ x', ['x'], [[1]]), [Math.E ** 1]);
  assert.equal(run('log(x, 2)', ['x'], [[8, 1024]]), [Math.log(8) / Math.log(2), 10]);
  assert.equal(run('atan2(y, x)', ['y', 'x'], [[1], [1]]), [Math.PI / 4]);
  assert.equal(run('sqrt(x) + exp(x) + log(x) + log10(x) + sin(x) + cos(x) + tan(x) + atan(x) + abs(-x)', ['x'], [[0.5]]), [
    Math.sqrt(0.5) + Math.exp(0.5) + Math.log(0.5) + Math.log10(0.5) + Math.sin(0.5) + Math.cos(0.5) + Math.tan(0.5) + Math.atan(0.5) + 0.5,
  ]);
  assert.equal(run('asin(x) + acos(x)', ['x'], [[0.3]]), [Math.asin(0.3) + Math.acos(0.3)]);
  assert.equal(run('0.1 + x', ['x'], [[0.2]]), [0.1 + 0.2], 'a constant as the nearest double');
});

it('only the first n rows are written', () => {
  const f = compileColumns(math.parse('2 * a'), ['a']);
  const out = new Float64Array([-1, -1, -1]);
  f([Float64Array.from([1, 2, 3])], out, 2);
  assert.equal([...out], [2, 4, -1]);
});

it('a domain error is NaN or infinite, as doubles are', () => {
  const [nan, inf] = run(
    'sqrt(a) / b',
    ['a', 'b'],
    [
      [-1, 1],
      [1, 0],
    ],
  );
  assert.ok(Number.isNaN(nan));
  assert.is(inf, Infinity);
});

it('refuses what no checked model holds', () => {
  assert.throws(() => compileColumns(math.parse('a * k'), ['a']), /unknown symbol k/);
  assert.throws(() => compileColumns(math.parse('cbrt(a)'), ['a']), /unsupported function cbrt/);
  assert.throws(() => compileColumns(math.parse('a * 1e400'), ['a']), /not a finite double/);
  assert.throws(() => compileColumns(math.parse('a % 2'), ['a']), /unsupported operator mod/);
  assert.throws(() => compileColumns(math.parse('[a]'), ['a']), /cannot compile a ArrayNode/);
});

it.run();
