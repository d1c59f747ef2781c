/**
 * FLOATS ARE RIGHT HERE: this folder is Monte Carlo sampling (JCGM 101), the one
 * place where binary doubles are used; values enter and leave it as decimal
 * strings at its edge (monte-carlo.ts).
 *
 * Compiles a checked measurement model (a mathjs tree whose symbols and
 * functions measurement-model.ts has already validated) into one JavaScript
 * loop over Float64Array columns, so that 10⁶ evaluations cost a few
 * milliseconds instead of a mathjs dispatch per operation.
 */
import type { MathNode } from 'mathjs';
import { constantText, functionCall, operator, parenthesised, symbolName } from '../../model/nodes.ts';

/** out[i] = f(columns[0][i], columns[1][i], …) for i in [0, n). */
export type ColumnFunction = (columns: readonly Float64Array[], out: Float64Array, n: number) => void;

const FUNCTIONS: Record<string, string> = {
  sqrt: 'Math.sqrt',
  exp: 'Math.exp',
  log: 'Math.log',
  log10: 'Math.log10',
  sin: 'Math.sin',
  cos: 'Math.cos',
  tan: 'Math.tan',
  asin: 'Math.asin',
  acos: 'Math.acos',
  atan: 'Math.atan',
  atan2: 'Math.atan2',
  abs: 'Math.abs',
};

function source(node: MathNode, index: ReadonlyMap<string, number>): string {
  switch (node.type) {
    case 'ConstantNode': {
      const text = constantText(node)!;
      const v = Number(text);
      if (!Number.isFinite(v)) throw new Error(`constant ${text} is not a finite double`);
      return `(${v.toString()})`;
    }
    case 'SymbolNode': {
      const name = symbolName(node)!;
      const i = index.get(name);
      if (i !== undefined) return `c${i}[i]`;
      if (name === 'pi') return '(Math.PI)';
      if (name === 'e') return '(Math.E)';
      throw new Error(`unknown symbol ${name}`);
    }
    case 'ParenthesisNode':
      return source(parenthesised(node)!, index);
    case 'OperatorNode': {
      const op = operator(node)!;
      const a = op.args.map((x) => source(x, index));
      switch (op.fn) {
        case 'add':
          return `(${a.join(' + ')})`;
        case 'subtract':
          return `(${a[0]} - ${a[1]})`;
        case 'multiply':
          return `(${a.join(' * ')})`;
        case 'divide':
          return `(${a[0]} / ${a[1]})`;
        case 'pow':
          return `Math.pow(${a[0]}, ${a[1]})`;
        case 'unaryMinus':
          return `(-${a[0]})`;
        case 'unaryPlus':
          return `(+${a[0]})`;
      }
      throw new Error(`unsupported operator ${op.fn}`);
    }
    case 'FunctionNode': {
      const fn = functionCall(node)!;
      const a = fn.args.map((x) => source(x, index));
      if (fn.name === 'log' && a.length === 2) return `(Math.log(${a[0]}) / Math.log(${a[1]}))`;
      const js = FUNCTIONS[fn.name];
      if (!js) throw new Error(`unsupported function ${fn.name}`);
      return `${js}(${a.join(', ')})`;
    }
    default:
      throw new Error(`cannot compile a ${node.type}`);
  }
}

/**
 * @param node a model tree already checked by compileModel (only numbers, declared
 *   symbols, pi, e, + − × ÷ ^ and the supported functions reach the generated code)
 * @param names the quantity names, in column order
 */
export function compileColumns(node: MathNode, names: readonly string[]): ColumnFunction {
  const index = new Map(names.map((n, i) => [n, i]));
  const body = source(node, index);
  const bind = names.map((_, i) => `const c${i} = columns[${i}];`).join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('columns', 'out', 'n', `"use strict";\n${bind}\nfor (let i = 0; i < n; i++) out[i] = ${body};`) as ColumnFunction;
}
