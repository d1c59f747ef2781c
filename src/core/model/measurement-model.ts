/**
 * Measurement models y = f(x₁…xₙ) written as mathjs expressions.
 *
 * A model is parsed once, checked (every symbol is a declared quantity or the
 * constants pi and e; every function is in the supported set), differentiated
 * symbolically with mathjs `derivative` for each input, and compiled to plain
 * closures over decimal.js — no mathjs dispatch and no binary float when it is
 * evaluated, which is what makes thousands of evaluations a second affordable.
 *
 * @see GUM 4.1 (the model), 5.1.3 (sensitivity coefficients cᵢ = ∂f/∂xᵢ)
 */
import type { MathNode } from 'mathjs';
import { fail } from '../errors.ts';
import { Decimal, E, PI } from '../numeric/decimal.ts';
import { math } from '../numeric/math.ts';
import { flatten } from './flatten.ts';
import { UNARY } from './functions.ts';
import { compileGradient } from './gradient.ts';
import { children, constantText, constantValue, functionCall, operator, parenthesised, symbolName } from './nodes.ts';

/**
 * Up to this many inputs, sensitivities come from mathjs `derivative` (one
 * symbolic derivative per input, shown in reports); beyond it, from one
 * reverse-mode sweep (gradient.ts), which keeps large models linear in N.
 */
export const SYMBOLIC_LIMIT = 32;

/**
 * And up to this many nodes in the expression tree: mathjs simplifies each
 * symbolic derivative, which grows much faster than the tree (a 20,001-term
 * sum ran out of memory); a larger model is differentiated automatically.
 */
export const SYMBOLIC_NODE_LIMIT = 400;

/**
 * And up to this many nested non-linear steps (functions, divisions, powers)
 * on any path: each nesting multiplies what mathjs writes and simplifies for
 * a derivative — sqrt nested 7 deep took 4 s, 13 deep 28 s — while the
 * reverse sweep stays linear.
 */
export const SYMBOLIC_NESTING_LIMIT = 5;

/** How deeply a model may nest at all: deeper trees are refused (every walk of the tree stays bounded). */
export const MAX_DEPTH = 200;

/** The size, depth and non-linear nesting of an expression tree (iteratively: trees may be wide). */
function shape(root: MathNode): { nodes: number; depth: number; nesting: number } {
  let nodes = 0;
  let depth = 0;
  let nesting = 0;
  const stack: Array<[MathNode, number, number]> = [[root, 1, 0]];
  while (stack.length > 0) {
    const [node, d, k] = stack.pop()!;
    nodes++;
    const fn = operator(node)?.fn;
    const nonlinear = node.type === 'FunctionNode' || fn === 'divide' || fn === 'pow';
    const kk = k + (nonlinear ? 1 : 0);
    if (d > depth) depth = d;
    if (kk > nesting) nesting = kk;
    for (const a of children(node)) stack.push([a, d + 1, kk]);
  }
  return { nodes, depth, nesting };
}

/** The deepest bracket nesting of an expression's text, before the recursive parser sees it. */
function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const c of text) {
    if (c === '(' || c === '[') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']') depth--;
  }
  return max;
}

/** A compiled expression: input values by index → value. */
export type DecimalFunction = (x: readonly Decimal[]) => Decimal;

/** The functions a model may use (spec: "Functions that must work"). */
export const MODEL_FUNCTIONS = ['sqrt', 'exp', 'log', 'log10', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'abs'] as const;
export const MODEL_CONSTANTS = ['pi', 'e'] as const;

export interface CompiledModel {
  /** The expression as written. */
  readonly expression: string;
  /** The quantity names the model uses, in the order of `inputs` given to compileModel. */
  readonly inputs: readonly string[];
  readonly value: DecimalFunction;
  /** cᵢ = ∂f/∂xᵢ at x for each input, by index; `null` where the model does not depend on xᵢ. */
  readonly sensitivities: (x: readonly Decimal[]) => Array<Decimal | null>;
  /** How the sensitivities are found. */
  readonly differentiation: 'symbolic' | 'automatic';
  /** The symbolic derivatives as text, for reports (null per input when automatic). */
  readonly derivativeText: ReadonlyArray<string | null>;
  /** The parsed tree, for the Monte Carlo compiler and unit inference. */
  readonly node: MathNode;
  /** The symbolic derivative trees by input (null where not needed), for the exact kernel; null when automatic. */
  readonly derivativeNodes: ReadonlyArray<MathNode | null> | null;
}

/**
 * Parses and checks a model, and compiles it and its derivatives.
 * @param expression the mathjs expression
 * @param quantities every declared quantity name, in the order values will be passed
 * @param path JSON pointer of the expression, for errors
 * @param needDerivative which inputs need a sensitivity (those with u > 0)
 * @throws INVALID_MODEL, UNKNOWN_QUANTITY, UNSUPPORTED_FUNCTION
 */
export function compileModel(
  expression: string,
  quantities: readonly string[],
  path: string,
  needDerivative: (name: string) => boolean = () => true,
): CompiledModel {
  let node: MathNode;
  if (expression.length > 1_000_000) fail('INVALID_MODEL', path, 'the model is longer than 1,000,000 characters');
  if (bracketDepth(expression) > MAX_DEPTH)
    fail('INVALID_MODEL', path, `the model nests brackets more than ${MAX_DEPTH} deep; write it in steps (several outputs) instead`);
  try {
    node = flatten(math.parse(expression));
  } catch (e) {
    fail('INVALID_MODEL', path, `the model is not a valid expression: ${e instanceof RangeError ? 'it nests too deeply' : (e as Error).message}`);
  }
  const { nodes, depth, nesting } = shape(node);
  if (depth > MAX_DEPTH) fail('INVALID_MODEL', path, `the model nests more than ${MAX_DEPTH} operations deep; write it in steps (several outputs) instead`);
  checkNode(node, new Set(quantities), path);
  const index = new Map(quantities.map((q, i) => [q, i]));
  const used = usedSymbols(node);
  const value = compileNode(node, index, path);
  const automatic = (): CompiledModel => {
    const gradient = compileGradient(node, index, quantities.length, path);
    return {
      expression,
      inputs: quantities,
      value,
      sensitivities: (x) => gradient(x).gradient,
      differentiation: 'automatic',
      derivativeText: quantities.map(() => null),
      node,
      derivativeNodes: null,
    };
  };
  if (used.size > SYMBOLIC_LIMIT || nodes > SYMBOLIC_NODE_LIMIT || nesting > SYMBOLIC_NESTING_LIMIT) return automatic();
  const derivativeText: Array<string | null> = [];
  const derivativeNodes: Array<MathNode | null> = [];
  let derivatives: Array<DecimalFunction | null>;
  try {
    derivatives = quantities.map((q) => {
      if (!used.has(q) || !needDerivative(q)) {
        derivativeText.push(null);
        derivativeNodes.push(null);
        return null;
      }
      const d = differentiate(node, q, path);
      derivativeText.push(d.toString());
      derivativeNodes.push(d);
      return compileNode(d, index, path);
    });
  } catch {
    // mathjs cannot differentiate every form it parses (e.g. log10 of a product in
    // BigNumber mode); the same derivatives come from one reverse-mode sweep.
    return automatic();
  }
  return {
    expression,
    inputs: quantities,
    value,
    sensitivities: (x) => derivatives.map((f) => (f ? f(x) : null)),
    differentiation: 'symbolic',
    derivativeText,
    node,
    derivativeNodes,
  };
}

/** The quantity names a model mentions (constants excluded). */
export function usedSymbols(node: MathNode): Set<string> {
  const names = new Set<string>();
  node.traverse((n, _path, parent) => {
    const name = symbolName(n);
    if (name !== null && !(parent && functionCall(parent)?.callee === n) && !(MODEL_CONSTANTS as readonly string[]).includes(name)) names.add(name);
  });
  return names;
}

function checkNode(root: MathNode, quantities: Set<string>, path: string): void {
  let depth = 0;
  const visit = (n: MathNode, level: number): void => {
    depth = Math.max(depth, level);
    if (depth > 200) fail('INVALID_MODEL', path, 'the model is nested more than 200 levels deep');
    switch (n.type) {
      case 'ConstantNode': {
        const v = constantValue(n);
        if (typeof v === 'string' || typeof v === 'boolean' || v === null || v === undefined)
          fail('INVALID_MODEL', path, 'the model may contain only numbers, quantities, operators and functions');
        return;
      }
      case 'SymbolNode': {
        const name = symbolName(n)!;
        if (!quantities.has(name) && !(MODEL_CONSTANTS as readonly string[]).includes(name)) {
          fail('UNKNOWN_QUANTITY', path, `model uses '${name}', which is not among the quantities`);
        }
        return;
      }
      case 'ParenthesisNode':
        return visit(parenthesised(n)!, level + 1);
      case 'OperatorNode': {
        const op = operator(n)!;
        if (!['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus'].includes(op.fn)) {
          fail('UNSUPPORTED_FUNCTION', path, `the operator '${op.op}' is not supported; use + - * / ^`);
        }
        op.args.forEach((a) => visit(a, level + 1));
        return;
      }
      case 'FunctionNode': {
        const fn = functionCall(n)!;
        const name = fn.name;
        if (!(MODEL_FUNCTIONS as readonly string[]).includes(name)) {
          fail('UNSUPPORTED_FUNCTION', path, `the function '${name}' is not supported; use ${MODEL_FUNCTIONS.join(', ')}`);
        }
        const arity = name === 'atan2' ? [2] : name === 'log' ? [1, 2] : [1];
        if (!arity.includes(fn.args.length)) fail('INVALID_MODEL', path, `${name} takes ${arity.join(' or ')} argument(s), got ${fn.args.length}`);
        fn.args.forEach((a) => visit(a, level + 1));
        return;
      }
      default:
        fail('INVALID_MODEL', path, `the model may contain only numbers, quantities, operators and functions (found a ${n.type})`);
    }
  };
  visit(root, 0);
}

/**
 * ∂node/∂name by mathjs `derivative`. mathjs does not differentiate atan2, so
 * atan2(y, x) is first rewritten as 2·atan(y / (sqrt(x² + y²) + x)), an identity
 * off the negative x-axis whose derivative is (x·y' − y·x')/(x² + y²); values are
 * still computed with atan2 itself.
 */
function differentiate(node: MathNode, name: string, path: string): MathNode {
  const rewritten = node.transform((n) => {
    const call = functionCall(n);
    if (call?.name === 'atan2') {
      const [y, x] = call.args as [MathNode, MathNode];
      return math.parse('2 * atan(Y / (sqrt(X ^ 2 + Y ^ 2) + X))').transform((m) => (symbolName(m) === 'Y' ? y : symbolName(m) === 'X' ? x : m));
    }
    return n;
  });
  try {
    return math.derivative(rewritten, name);
  } catch (e) {
    fail('INVALID_MODEL', path, `cannot differentiate the model with respect to '${name}': ${(e as Error).message}`);
  }
}

/** x^y with exact repeated multiplication for integer exponents (decimal.js does this) and exp/ln otherwise. */
function power(a: Decimal, b: Decimal): Decimal {
  if (b.isInteger() && b.abs().lessThan(1e6)) return a.pow(b);
  if (a.isNegative()) return new Decimal(NaN);
  return a.pow(b);
}

/** Compiles a tree to nested closures over Decimal. */
export function compileNode(node: MathNode, index: ReadonlyMap<string, number>, path: string): DecimalFunction {
  switch (node.type) {
    case 'ConstantNode': {
      const c = new Decimal(constantText(node)!);
      return () => c;
    }
    case 'SymbolNode': {
      const name = symbolName(node)!;
      const i = index.get(name);
      if (i !== undefined) return (x) => x[i]!;
      if (name === 'pi') return () => PI;
      if (name === 'e') return () => E;
      return fail('UNKNOWN_QUANTITY', path, `model uses '${name}', which is not among the quantities`);
    }
    case 'ParenthesisNode':
      return compileNode(parenthesised(node)!, index, path);
    case 'OperatorNode': {
      const op = operator(node)!;
      const args = op.args.map((a) => compileNode(a, index, path));
      const [f, g] = args as [DecimalFunction, DecimalFunction];
      switch (op.fn) {
        case 'add':
          return args.length === 2 ? (x) => f(x).plus(g(x)) : (x) => args.reduce((s, h) => s.plus(h(x)), new Decimal(0));
        case 'subtract':
          return (x) => f(x).minus(g(x));
        case 'multiply':
          return args.length === 2 ? (x) => f(x).times(g(x)) : (x) => args.reduce((s, h) => s.times(h(x)), new Decimal(1));
        case 'divide':
          return (x) => f(x).div(g(x));
        case 'pow':
          return (x) => power(f(x), g(x));
        case 'unaryMinus':
          return (x) => f(x).neg();
        case 'unaryPlus':
          return f;
      }
      return fail('UNSUPPORTED_FUNCTION', path, `the operator '${op.fn}' is not supported`);
    }
    case 'FunctionNode': {
      const fn = functionCall(node)!;
      const args = fn.args.map((a) => compileNode(a, index, path));
      const [f, g] = args as [DecimalFunction, DecimalFunction];
      if (fn.name === 'atan2') return (x) => Decimal.atan2(f(x), g(x));
      if (fn.name === 'log' && args.length === 2) return (x) => f(x).ln().div(g(x).ln());
      if (fn.name === 'nthRoot') return (x) => power(f(x), new Decimal(1).div(g(x)));
      const unary = UNARY[fn.name];
      if (!unary || args.length !== 1) return fail('UNSUPPORTED_FUNCTION', path, `the function '${fn.name}' is not supported`);
      return (x) => unary(f(x));
    }
    default:
      return fail('INVALID_MODEL', path, `cannot compile a ${node.type}`);
  }
}
