/**
 * Sensitivity coefficients by reverse-mode automatic differentiation in decimal
 * arithmetic, for models with many inputs. Symbolic differentiation costs one
 * derivative tree per input, so a sum of N inputs would cost O(N²) to compile
 * and to evaluate; one forward and one backward sweep over a tape gives all N
 * partial derivatives at the estimates in O(N). The values are the same
 * derivatives evaluated at the same point; a test checks both methods agree.
 */
import type { MathNode } from 'mathjs';
import { fail } from '../errors.ts';
import { Decimal, E, LN10, ONE, PI } from '../numeric/decimal.ts';
import { UNARY } from './functions.ts';
import { children, constantText, functionCall, operator, symbolName } from './nodes.ts';

type Op =
  | { readonly kind: 'const'; readonly value: Decimal }
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'op'; readonly fn: string; readonly args: readonly number[]; readonly live: boolean };

export type GradientFunction = (x: readonly Decimal[]) => { value: Decimal; gradient: Array<Decimal | null> };

/** Records the flattened model as a tape (post-order) and returns value-and-gradient. */
export function compileGradient(root: MathNode, index: ReadonlyMap<string, number>, inputs: number, path: string): GradientFunction {
  const tape: Op[] = [];
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
    let op: Op;
    const name = symbolName(node);
    if (node.type === 'ConstantNode') op = { kind: 'const', value: new Decimal(constantText(node)!) };
    else if (name !== null) {
      const i = index.get(name);
      op =
        i !== undefined
          ? { kind: 'input', index: i }
          : {
              kind: 'const',
              value: name === 'pi' ? PI : name === 'e' ? E : fail('UNKNOWN_QUANTITY', path, `model uses '${name}', which is not among the quantities`),
            };
    } else {
      const fn = operator(node)?.fn ?? functionCall(node)!.name;
      const a = args.map((x) => slot.get(x)!);
      op = { kind: 'op', fn, args: a, live: a.some((j) => live[j]) };
    }
    slot.set(node, tape.length);
    live.push(op.kind === 'input' || (op.kind === 'op' && op.live));
    tape.push(op);
  }

  return (x) => {
    const v: Decimal[] = new Array(tape.length);
    for (let k = 0; k < tape.length; k++) v[k] = forward(tape[k]!, v, x);
    const adj: Array<Decimal | undefined> = new Array(tape.length);
    adj[tape.length - 1] = ONE;
    const gradient: Array<Decimal | null> = new Array(inputs).fill(null);
    for (let k = tape.length - 1; k >= 0; k--) {
      const a = adj[k];
      if (a === undefined) continue;
      const op = tape[k]!;
      if (op.kind === 'input') {
        const g = gradient[op.index];
        gradient[op.index] = g ? g.plus(a) : a;
      } else if (op.kind === 'op' && op.live) {
        backward(op, v, k, a, adj, live);
      }
    }
    return { value: v[tape.length - 1]!, gradient };
  };
}

function forward(op: Op, v: Decimal[], x: readonly Decimal[]): Decimal {
  if (op.kind === 'const') return op.value;
  if (op.kind === 'input') return x[op.index]!;
  const a = op.args.map((j) => v[j]!);
  const [p, q] = a as [Decimal, Decimal];
  switch (op.fn) {
    case 'add':
      return a.reduce((s, t) => s.plus(t));
    case 'multiply':
      return a.reduce((s, t) => s.times(t));
    case 'divide':
      return p.div(q);
    case 'pow':
      return p.pow(q);
    case 'unaryMinus':
      return p.neg();
    case 'unaryPlus':
      return p;
    case 'log':
      return a.length === 2 ? p.ln().div(q.ln()) : p.ln();
    case 'atan2':
      return Decimal.atan2(p, q);
  }
  const unary = UNARY[op.fn];
  if (unary) return unary(p);
  throw new Error(`no forward rule for ${op.fn}`);
}

function push(adj: Array<Decimal | undefined>, live: boolean[], j: number, value: Decimal): void {
  if (!live[j]) return;
  const cur = adj[j];
  adj[j] = cur === undefined ? value : cur.plus(value);
}

function backward(op: Extract<Op, { kind: 'op' }>, v: Decimal[], k: number, a: Decimal, adj: Array<Decimal | undefined>, live: boolean[]): void {
  const args = op.args;
  const p = v[args[0]!]!;
  const q = args.length > 1 ? v[args[1]!]! : ONE;
  const one = (d: Decimal) => push(adj, live, args[0]!, a.times(d));
  switch (op.fn) {
    case 'add':
      for (const j of args) push(adj, live, j, a);
      return;
    case 'multiply': {
      // ∂/∂xⱼ = product of the others: prefix and suffix products, no division.
      const n = args.length;
      const suffix: Decimal[] = new Array(n + 1);
      suffix[n] = ONE;
      for (let i = n - 1; i >= 0; i--) suffix[i] = suffix[i + 1]!.times(v[args[i]!]!);
      let prefix = ONE;
      for (let i = 0; i < n; i++) {
        if (live[args[i]!]) push(adj, live, args[i]!, a.times(prefix).times(suffix[i + 1]!));
        prefix = prefix.times(v[args[i]!]!);
      }
      return;
    }
    case 'divide':
      push(adj, live, args[0]!, a.div(q));
      if (live[args[1]!]) push(adj, live, args[1]!, a.times(v[k]!).div(q).neg());
      return;
    case 'pow':
      if (live[args[0]!]) push(adj, live, args[0]!, a.times(q).times(p.pow(q.minus(1))));
      if (live[args[1]!]) push(adj, live, args[1]!, a.times(v[k]!).times(p.ln()));
      return;
    case 'unaryMinus':
      return one(ONE.neg());
    case 'unaryPlus':
      return one(ONE);
    case 'sqrt':
      return one(ONE.div(v[k]!.times(2)));
    case 'exp':
      return one(v[k]!);
    case 'log':
      if (args.length === 2) {
        if (live[args[0]!]) push(adj, live, args[0]!, a.div(p.times(q.ln())));
        if (live[args[1]!])
          push(
            adj,
            live,
            args[1]!,
            a
              .times(p.ln())
              .div(q.times(q.ln().pow(2)))
              .neg(),
          );
        return;
      }
      return one(ONE.div(p));
    case 'log10':
      return one(ONE.div(p.times(LN10)));
    case 'sin':
      return one(p.cos());
    case 'cos':
      return one(p.sin().neg());
    case 'tan':
      return one(ONE.div(p.cos().pow(2)));
    case 'asin':
      return one(ONE.div(ONE.minus(p.times(p)).sqrt()));
    case 'acos':
      return one(ONE.div(ONE.minus(p.times(p)).sqrt()).neg());
    case 'atan':
      return one(ONE.div(ONE.plus(p.times(p))));
    case 'atan2': {
      const r2 = p.times(p).plus(q.times(q));
      if (live[args[0]!]) push(adj, live, args[0]!, a.times(q).div(r2));
      if (live[args[1]!]) push(adj, live, args[1]!, a.times(p).div(r2).neg());
      return;
    }
    case 'abs':
      return one(new Decimal(p.isNegative() ? -1 : 1));
  }
  throw new Error(`no derivative rule for ${op.fn}`);
}
