/** The correlation of two results through the influences they share (GUM 5.2.2), worked out by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { correlationOfComponents } from '../../../src/core/uncertainty/shared-components.ts';

const set = (u: string, components: Record<string, string>) => ({
  u: new Decimal(u),
  components: new Map(Object.entries(components).map(([k, c]) => [k, new Decimal(c)])),
});

test('r = Σ shared cₐ·c_b / (uₐ·u_b), the shared influences named in order', () => {
  // a: u² = 3² + 4² = 25; b: u² = 4² + 3² = 25; shared 'std-2': 4·3 = 12 → r = 12/25
  const { r, shared } = correlationOfComponents(set('5', { 'std-1': '3', 'std-2': '4' }), set('5', { 'std-3': '4', 'std-2': '3' }));
  assert.equal([r.toString(), shared], ['0.48', ['std-2']]);
  const both = correlationOfComponents(set('5', { z: '3', a: '-4' }), set('5', { a: '4', z: '3' }));
  assert.equal([both.r.toString(), both.shared], ['-0.28', ['a', 'z']], '(9 − 16)/25, signs kept');
});

test('a result is fully correlated with itself; nothing shared or a zero uncertainty gives zero', () => {
  const a = set('5', { x: '3', y: '4' });
  assert.is(correlationOfComponents(a, a).r.toString(), '1');
  assert.equal(correlationOfComponents(a, set('2', { w: '2' })), { r: new Decimal(0), shared: [] });
  assert.equal(correlationOfComponents(set('0', {}), a).shared, []);
  assert.ok(correlationOfComponents(set('0', {}), a).r.isZero());
});

test.run();
