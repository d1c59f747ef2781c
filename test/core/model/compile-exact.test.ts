import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { exactModel } from '../../../src/core/model/compile-exact.ts';
import { compileModel, SYMBOLIC_LIMIT } from '../../../src/core/model/measurement-model.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { ExactUnsupported, exactText, fromDecimal, parseExact } from '../../../src/core/numeric/exact.ts';

const it = suite('exact-kernel closures of a model');
const x = (...v: string[]) => v.map(parseExact);
const texts = (v: ReadonlyArray<{ c: bigint; e: number } | null>) => v.map((e) => (e === null ? null : exactText(e as never)));

it('value and symbolic sensitivities of + − × ÷, worked by hand', () => {
  const m = exactModel(compileModel('a * b / c - d', ['a', 'b', 'c', 'd'], '/model'))!;
  assert.ok(m);
  const at = x('1.5', '2', '4', '0.25');
  assert.is(exactText(m.value(at)), '0.5');
  // ∂/∂a = b/c = 0.5, ∂/∂b = a/c = 0.375, ∂/∂c = −ab/c² = −0.1875, ∂/∂d = −1
  assert.equal(texts(m.sensitivities(at)), ['0.5', '0.375', '-0.1875', '-1']);
});

it('the same digits as the Decimal closures, symbolic and automatic alike', () => {
  const names = ['a', 'b', 'c'];
  const values = ['1.000000000000000000003', '-7.25', '3'];
  for (const model of ['a / b / c', '(a + b) ^ 2 / c', '-a / (b * c) + +b - a * a * a']) {
    const compiled = compileModel(model, names, '/model');
    const m = exactModel(compiled)!;
    assert.ok(m, model);
    const dx = values.map((v) => new Decimal(v));
    const ex = values.map(parseExact);
    assert.is(exactText(m.value(ex)), compiled.value(dx).toString(), model);
    assert.equal(
      texts(m.sensitivities(ex)),
      compiled.sensitivities(dx).map((c) => (c === null ? null : exactText(fromDecimal(c)))),
      model,
    );
  }
});

it('a model past the symbolic limit is differentiated on the tape, as gradient.ts does', () => {
  const n = SYMBOLIC_LIMIT + 8;
  const names = Array.from({ length: n }, (_, i) => `x${i}`);
  const model = `(${names.join(' + ')}) ^ 2 / x0 - x1 * x2`;
  const compiled = compileModel(model, names, '/model');
  assert.is(compiled.differentiation, 'automatic');
  const m = exactModel(compiled)!;
  assert.ok(m);
  const ex = names.map(() => parseExact('1'));
  // S = 40, y = S²/x0 − x1·x2 = 1599; ∂/∂x0 = 2S/x0 − S²/x0² = −1520; ∂/∂x1 = 2S − x2 = 79; ∂/∂x2 = 79; ∂/∂x3 = 80
  assert.is(exactText(m.value(ex)), '1599');
  const g = texts(m.sensitivities(ex));
  assert.equal(g.slice(0, 4), ['-1520', '79', '79', '80']);
  const dx = names.map(() => new Decimal(1));
  assert.equal(
    g,
    compiled.sensitivities(dx).map((c) => (c === null ? null : c.toString())),
  );
});

it('inputs not needed or not used have no sensitivity', () => {
  const compiled = compileModel('a * 2 + b', ['a', 'b', 'c'], '/model', (q) => q !== 'b');
  const m = exactModel(compiled)!;
  assert.equal(texts(m.sensitivities(x('1', '1', '1'))), ['2', null, null]);
});

it('a model beyond + − × ÷ and squares is not compiled: null', () => {
  for (const model of ['sqrt(a)', 'a ^ 3', 'a ^ 0.5', 'a ^ b', 'pi * a', 'e + a', 'abs(a)', 'log(a, 2)']) {
    assert.is(exactModel(compileModel(model, ['a', 'b'], '/model', () => false)), null, model);
  }
  assert.ok(exactModel(compileModel('a ^ 2 - b', ['a', 'b'], '/model')), 'a square is');
  // a constant the kernel declines (an exponent past its range) leaves the model to decimal.js too
  assert.is(exactModel(compileModel('a * 1e200000', ['a'], '/model', () => false)), null);
});

it('a square of more than 31 digits is left to decimal.js (ExactUnsupported at evaluation)', () => {
  const m = exactModel(compileModel('a ^ 2', ['a'], '/model'))!;
  // x·x rounded to 40 digits, half to even (as Python's decimal gives it)
  assert.is(exactText(m.value(x('1234567890123456789012345678901'))), '1.52415787532388367504953515625608901453e+60');
  assert.throws(
    () => m.value(x('12345678901234567890123456789012')),
    (e: unknown) => e instanceof ExactUnsupported,
  );
});

it('a division by zero declines rather than answers', () => {
  const m = exactModel(compileModel('a / b', ['a', 'b'], '/model'))!;
  assert.throws(
    () => m.value(x('1', '0')),
    (e: unknown) => e instanceof ExactUnsupported,
  );
});

it.run();
