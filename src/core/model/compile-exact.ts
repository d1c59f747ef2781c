/**
 * A compiled model and its derivatives as closures over the exact kernel
 * (numeric/exact.ts), for the fast path of the law of propagation. Each
 * closure does what its Decimal counterpart does, op for op and in the same
 * order, so the digits are the same: the value and symbolic derivatives as
 * compileNode's closures (an n-ary sum from 0, an n-ary product from 1); for a
 * model differentiated automatically, the reverse-mode sweep of gradient.ts on
 * the same tape. Models beyond + − × ÷ and squares (functions, other powers,
 * the constants pi and e) are not compiled here: exactModel returns null and
 * the caller keeps the Decimal closures.
 */
import type { MathNode } from 'mathjs';
import { Decimal } from '../numeric/decimal.ts';
import { PRECISION } from '../numeric/decimal.ts';
import { add, coefficientDigits, div, EXACT_ONE, EXACT_ZERO, type Exact, ExactUnsupported, fromDecimal, mul, neg, sub } from '../numeric/exact.ts';
import type { CompiledModel } from './measurement-model.ts';
import { children, constantText, operator, parenthesised, symbolName, type OperatorView } from './nodes.ts';

export type ExactFunction = (x: readonly Exact[]) => Exact;

export interface ExactModel {
  readonly value: ExactFunction;
  /** The sensitivity coefficients by input index at x; null where the model does not depend on the input (as CompiledModel#sensitivities). */
  readonly sensitivities: (x: readonly Exact[]) => ReadonlyArray<Exact | null>;
}

class NotCompiled extends Error {}

function compile(node: MathNode, index: ReadonlyMap<string, number>): ExactFunction {
  switch (node.type) {
    case 'ConstantNode': {
      const c = fromDecimal(new Decimal(constantText(node)!));
      return () => c;
    }
    case 'SymbolNode': {
      const i = index.get(symbolName(node)!);
      if (i === undefined) throw new NotCompiled();
      return (x) => x[i]!;
    }
    case 'ParenthesisNode':
      return compile(parenthesised(node)!, index);
    case 'OperatorNode': {
      const op = operator(node)!;
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
          if (constantText(exponent) !== '2') throw new NotCompiled();
          return (x) => {
            const a = f(x);
            if (coefficientDigits(a) > 31) throw new ExactUnsupported('long square');
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

/** The exact closures of a compiled model, or null when it uses more than + − × ÷ and squares. */
export function exactModel(model: CompiledModel): ExactModel | null {
  const index = new Map(model.inputs.map((q, i) => [q, i]));
  try {
    const value = compile(model.node, index);
    if (!model.derivativeNodes) return { value, sensitivities: compileTape(model.node, index, model.inputs.length) };
    const derivatives = model.derivativeNodes.map((d) => (d ? compile(d, index) : null));
    return { value, sensitivities: (x) => derivatives.map((f) => (f ? f(x) : null)) };
  } catch (e) {
    if (e instanceof NotCompiled || e instanceof ExactUnsupported) return null;
    throw e;
  }
}

// ---- reverse mode, as gradient.ts does it in Decimal

type TapeOp =
  | { readonly kind: 'const'; readonly value: Exact }
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'op'; readonly fn: TapeFn; readonly args: readonly number[]; readonly live: boolean };

type TapeFn = 'add' | 'multiply' | 'divide' | 'square' | 'unaryMinus' | 'unaryPlus';

const MINUS_ONE = neg(EXACT_ONE);
const TWO = fromDecimal(new Decimal(2));

/** The tape of gradient.ts (post-order, one slot per node) for a model of + − × ÷ and squares. */
function compileTape(root: MathNode, index: ReadonlyMap<string, number>, inputs: number): (x: readonly Exact[]) => Array<Exact | null> {
  const tape: TapeOp[] = [];
  const slot = new Map<MathNode, number>();
  const live: boolean[] = [];
  const stack: Array<[MathNode, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [node, expanded] = stack.pop()!;
    const args = children(node);
    if (!expanded && (node.type === 'OperatorNode' || node.type === 'FunctionNode')) {
      stack.push([node, true]);
      for (const a of args) stack.push([a, false]);
      continue;
    }
    let op: TapeOp;
    if (node.type === 'ConstantNode') op = { kind: 'const', value: fromDecimal(new Decimal(constantText(node)!)) };
    else if (node.type === 'SymbolNode') {
      const i = index.get(symbolName(node)!);
      if (i === undefined) throw new NotCompiled(); // pi, e
      op = { kind: 'input', index: i };
    } else if (node.type === 'OperatorNode') {
      const a = args.map((x) => slot.get(x)!);
      op = { kind: 'op', fn: tapeFn(operator(node)!), args: a, live: a.some((j) => live[j]) };
    } else throw new NotCompiled();
    slot.set(node, tape.length);
    live.push(op.kind === 'input' || (op.kind === 'op' && op.live));
    tape.push(op);
  }
  return (x) => {
    const v: Exact[] = new Array(tape.length);
    for (let k = 0; k < tape.length; k++) v[k] = forward(tape[k]!, v, x);
    const adj: Array<Exact | undefined> = new Array(tape.length);
    adj[tape.length - 1] = EXACT_ONE;
    const gradient: Array<Exact | null> = new Array(inputs).fill(null);
    for (let k = tape.length - 1; k >= 0; k--) {
      const a = adj[k];
      if (a === undefined) continue;
      const op = tape[k]!;
      if (op.kind === 'input') {
        const g = gradient[op.index];
        gradient[op.index] = g ? add(g, a) : a;
      } else if (op.kind === 'op' && op.live) backward(op, v, k, a, adj, live);
    }
    return gradient;
  };
}

function tapeFn(op: OperatorView): TapeFn {
  switch (op.fn) {
    case 'add':
    case 'multiply':
    case 'divide':
    case 'unaryMinus':
    case 'unaryPlus':
      return op.fn;
    case 'pow': {
      const exponent = op.args[1]!;
      if (constantText(exponent) === '2') return 'square';
    }
  }
  throw new NotCompiled();
}

/** A square as decimal.js's pow(2) gives it: x·x rounded, for x of up to 31 digits (see compile). */
function square(p: Exact): Exact {
  if (coefficientDigits(p) > 31) throw new ExactUnsupported('long square');
  return mul(p, p);
}

function forward(op: TapeOp, v: Exact[], x: readonly Exact[]): Exact {
  if (op.kind === 'const') return op.value;
  if (op.kind === 'input') return x[op.index]!;
  const args = op.args;
  const p = v[args[0]!]!;
  switch (op.fn) {
    case 'add': {
      let s = p;
      for (let i = 1; i < args.length; i++) s = add(s, v[args[i]!]!);
      return s;
    }
    case 'multiply': {
      let s = p;
      for (let i = 1; i < args.length; i++) s = mul(s, v[args[i]!]!);
      return s;
    }
    case 'divide':
      return div(p, v[args[1]!]!);
    case 'square':
      return square(p);
    case 'unaryMinus':
      return neg(p);
    case 'unaryPlus':
      return p;
  }
}

function push(adj: Array<Exact | undefined>, live: boolean[], j: number, value: Exact): void {
  if (!live[j]) return;
  const cur = adj[j];
  adj[j] = cur === undefined ? value : add(cur, value);
}

function backward(op: Extract<TapeOp, { kind: 'op' }>, v: Exact[], k: number, a: Exact, adj: Array<Exact | undefined>, live: boolean[]): void {
  const args = op.args;
  switch (op.fn) {
    case 'add':
      for (const j of args) push(adj, live, j, a);
      return;
    case 'multiply': {
      const n = args.length;
      const suffix: Exact[] = new Array(n + 1);
      suffix[n] = EXACT_ONE;
      for (let i = n - 1; i >= 0; i--) suffix[i] = mul(suffix[i + 1]!, v[args[i]!]!);
      let prefix = EXACT_ONE;
      for (let i = 0; i < n; i++) {
        if (live[args[i]!]) push(adj, live, args[i]!, mul(mul(a, prefix), suffix[i + 1]!));
        prefix = mul(prefix, v[args[i]!]!);
      }
      return;
    }
    case 'divide': {
      const q = v[args[1]!]!;
      push(adj, live, args[0]!, div(a, q));
      if (live[args[1]!]) push(adj, live, args[1]!, neg(div(mul(a, v[k]!), q)));
      return;
    }
    case 'square': {
      // a·q·p^(q−1) with q = 2: p^1 is p rounded to the precision, so longer p is left to decimal.js
      const p = v[args[0]!]!;
      if (coefficientDigits(p) > PRECISION) throw new ExactUnsupported('long base');
      if (live[args[0]!]) push(adj, live, args[0]!, mul(mul(a, TWO), p));
      return;
    }
    case 'unaryMinus':
      return push(adj, live, args[0]!, mul(a, MINUS_ONE));
    case 'unaryPlus':
      return push(adj, live, args[0]!, mul(a, EXACT_ONE));
  }
}
