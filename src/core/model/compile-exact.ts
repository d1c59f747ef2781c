/**
 * A compiled model and its symbolic derivatives as closures over the exact
 * kernel (numeric/exact.ts), for the fast path of the law of propagation.
 * Each closure does what compileNode's closure over Decimal does, op for op
 * and in the same order (an n-ary sum from 0, an n-ary product from 1), so the
 * digits are the same. Models beyond + − × ÷ and squares (functions, powers, the
 * constants pi and e) are not compiled here: exactModel returns null and the
 * caller keeps the Decimal closures.
 */
import type { MathNode } from 'mathjs';
import { Decimal } from '../numeric/decimal.ts';
import { add, digitCount, div, EXACT_ONE, EXACT_ZERO, type Exact, ExactUnsupported, fromDecimal, mul, neg, sub } from '../numeric/exact.ts';
import type { CompiledModel } from './measurement-model.ts';

export type ExactFunction = (x: readonly Exact[]) => Exact;

export interface ExactModel {
  readonly value: ExactFunction;
  /** By input index; null where the model does not depend on the input (as CompiledModel#sensitivities). */
  readonly sensitivities: ReadonlyArray<ExactFunction | null>;
}

class NotCompiled extends Error {}

function compile(node: MathNode, index: ReadonlyMap<string, number>): ExactFunction {
  switch (node.type) {
    case 'ConstantNode': {
      const c = fromDecimal(new Decimal(String((node as unknown as { value: { toString(): string } }).value)));
      return () => c;
    }
    case 'SymbolNode': {
      const i = index.get((node as unknown as { name: string }).name);
      if (i === undefined) throw new NotCompiled();
      return (x) => x[i]!;
    }
    case 'ParenthesisNode':
      return compile((node as unknown as { content: MathNode }).content, index);
    case 'OperatorNode': {
      const op = node as unknown as { fn: string; args: MathNode[] };
      const args = op.args.map((a) => compile(a, index));
      const [f, g] = args as [ExactFunction, ExactFunction];
      switch (op.fn) {
        case 'add':
          return args.length === 2
            ? (x) => add(f(x), g(x))
            : (x) => {
                let s = EXACT_ZERO;
                for (const h of args) s = add(s, h(x));
                return s;
              };
        case 'subtract':
          return (x) => sub(f(x), g(x));
        case 'multiply':
          return args.length === 2
            ? (x) => mul(f(x), g(x))
            : (x) => {
                let s = EXACT_ONE;
                for (const h of args) s = mul(s, h(x));
                return s;
              };
        case 'divide':
          return (x) => div(f(x), g(x));
        case 'pow': {
          // only x^2 (what a derivative of a quotient brings): decimal.js squares
          // exactly up to 63 digits before rounding, so up to 31-digit x it is
          // x·x rounded; longer x is left to decimal.js
          const exponent = op.args[1]!;
          if (exponent.type !== 'ConstantNode' || String((exponent as unknown as { value: unknown }).value) !== '2') throw new NotCompiled();
          return (x) => {
            const a = f(x);
            if (digitCount(a.c < 0n ? -a.c : a.c) > 31) throw new ExactUnsupported('long square');
            return mul(a, a);
          };
        }
        case 'unaryMinus':
          return (x) => neg(f(x));
        case 'unaryPlus':
          return f;
      }
      throw new NotCompiled();
    }
    default:
      throw new NotCompiled();
  }
}

/** The exact closures of a compiled model, or null when it uses more than + − × ÷ or is differentiated automatically. */
export function exactModel(model: CompiledModel): ExactModel | null {
  if (!model.derivativeNodes) return null;
  const index = new Map(model.inputs.map((q, i) => [q, i]));
  try {
    return { value: compile(model.node, index), sensitivities: model.derivativeNodes.map((d) => (d ? compile(d, index) : null)) };
  } catch (e) {
    if (e instanceof NotCompiled || e instanceof ExactUnsupported) return null;
    throw e;
  }
}
