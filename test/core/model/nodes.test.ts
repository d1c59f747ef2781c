import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { children, constantText, constantValue, functionCall, operator, parenthesised, symbolName } from '../../../src/core/model/nodes.ts';
import { math } from '../../../src/core/numeric/math.ts';

const nodes = suite('expression node views');
const parse = (s: string) => math.parse(s);

nodes('an operator node gives its operator, mathjs name and operands; other nodes none', () => {
  const op = operator(parse('a - 2'))!;
  assert.is(op.op, '-');
  assert.is(op.fn, 'subtract');
  assert.equal(
    op.args.map((a) => a.type),
    ['SymbolNode', 'ConstantNode'],
  );
  assert.is(operator(parse('-a'))!.fn, 'unaryMinus');
  assert.is(operator(parse('a ^ 2'))!.fn, 'pow');
  assert.is(operator(parse('a')), null);
  assert.is(operator(parse('sqrt(a)')), null);
  assert.is(operator(parse('(a + b)')), null, 'parentheses are not the operator inside them');
});

nodes('a function call gives its name, callee and arguments', () => {
  const call = functionCall(parse('atan2(y, x)'))!;
  assert.is(call.name, 'atan2');
  assert.is(call.callee.type, 'SymbolNode');
  assert.equal(call.args.map(symbolName), ['y', 'x']);
  assert.is(functionCall(parse('a * b')), null);
  assert.is(functionCall(parse('a')), null);
});

nodes('symbols, constants and parentheses', () => {
  assert.is(symbolName(parse('T_ref')), 'T_ref');
  assert.is(symbolName(parse('pi')), 'pi');
  assert.is(symbolName(parse('3')), null);
  // the project's mathjs reads numbers as BigNumbers: the exact text, no binary float
  assert.is(constantText(parse('0.1')), '0.1');
  assert.is(constantText(parse('12345678901234567890.123456789')), '12345678901234567890.123456789');
  assert.is(math.typeOf(constantValue(parse('0.1'))), 'BigNumber');
  assert.is(constantValue(parse('a')), undefined);
  assert.is(constantText(parse('a')), null);
  const inner = parenthesised(parse('(a + b)'))!;
  assert.is(operator(inner)!.fn, 'add');
  assert.is(parenthesised(parse('a + b')), null);
});

nodes('children: operands, call arguments, the parenthesised content, or none for a leaf', () => {
  assert.is(children(parse('a * b * c')).length, 2, 'mathjs parses a chain as nested binary nodes');
  assert.equal(
    children(parse('log(x, 10)')).map((n) => n.type),
    ['SymbolNode', 'ConstantNode'],
  );
  const [inside] = children(parse('(x)'));
  assert.is(symbolName(inside!), 'x');
  assert.equal(children(parse('x')), []);
  assert.equal(children(parse('2')), []);
});

nodes.run();
