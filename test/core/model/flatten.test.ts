import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MathNode } from 'mathjs';
import { flatten } from '../../../src/core/model/flatten.ts';
import { children, functionCall, operator, symbolName } from '../../../src/core/model/nodes.ts';
import { math } from '../../../src/core/numeric/math.ts';

const it = suite('flattening a parsed model');
const flat = (s: string) => flatten(math.parse(s));
const scope = { a: math.bignumber('1.5'), b: math.bignumber('-2'), c: math.bignumber('0.25'), d: math.bignumber('4') };
const value = (n: MathNode) => String(n.evaluate(scope));

/** The tree in prefix form: (fn args…), symbols and constants as written. */
function shape(n: MathNode): string {
  const op = operator(n);
  if (op) return `(${op.fn} ${op.args.map(shape).join(' ')})`;
  const call = functionCall(n);
  if (call) return `(${call.name} ${call.args.map(shape).join(' ')})`;
  return symbolName(n) ?? n.toString();
}

it('a chain of sums becomes one n-ary add, and differences add the negation', () => {
  assert.is(shape(flat('a + b + c + d')), '(add a b c d)');
  assert.is(shape(flat('a - b - c')), '(add a (unaryMinus b) (unaryMinus c))');
  assert.is(shape(flat('a - (b + c)')), '(add a (unaryMinus (add b c)))', 'a negated group stays a group');
  assert.is(shape(flat('(a + b) + (c + d)')), '(add a b c d)', 'parenthesised sums merge too');
});

it('a chain of products becomes one n-ary multiply; divisions and powers stay binary', () => {
  assert.is(shape(flat('a * b * c * d')), '(multiply a b c d)');
  assert.is(shape(flat('a / b / c')), '(divide (divide a b) c)');
  assert.is(shape(flat('a ^ 2 * b')), '(multiply (pow a 2) b)');
  assert.is(shape(flat('a * b + c * d')), '(add (multiply a b) (multiply c d))');
  assert.is(shape(flat('(a + b) * (c + d)')), '(multiply (add a b) (add c d))', 'sums under a product are not merged into it');
});

it('parentheses are dropped, also inside function calls', () => {
  assert.is(shape(flat('((a))')), 'a');
  assert.is(shape(flat('sqrt((a + b) + c)')), '(sqrt (add a b c))');
  assert.is(shape(flat('atan2((a - b), c)')), '(atan2 (add a (unaryMinus b)) c)');
  for (const n of [flat('((a + (b)))'), flat('sqrt((a))')]) {
    n.traverse((x) => assert.is.not(x.type, 'ParenthesisNode'));
  }
});

it('the flattened model has the value of the model as parsed', () => {
  for (const model of ['a - b - c - d', '(a - b) * (c - d) / a', '-(a + b) * c * d', 'sqrt(a * d) - log(d, 2) + a ^ 2', 'a - -b', '+a - b']) {
    assert.is(value(flat(model)), value(math.parse(model)), model);
  }
  assert.is(value(flat('a - b - c - d')), '-0.75');
});

it('a long chain is flattened without recursion into one node of every operand', () => {
  const n = 20_001;
  const text = Array.from({ length: n }, (_, i) => `x${i}`).join(' + ');
  const node = flat(text);
  assert.is(operator(node)!.fn, 'add');
  const kids = children(node);
  assert.is(kids.length, n);
  assert.is(symbolName(kids[0]!), 'x0');
  assert.is(symbolName(kids[n - 1]!), `x${n - 1}`);
});

it.run();
