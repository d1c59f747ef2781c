/**
 * Typed views of the nodes of a mathjs expression tree. mathjs types an
 * OperatorNode's `fn` as `never` unless its generics are spelled out, and a
 * FunctionNode's callee as a node, so every walker of a tree needs a cast; this
 * module makes it once, behind the node's own type tag, and the walkers
 * (checks, compilers, differentiation, unit inference, Monte Carlo) read
 * trees through it.
 */
import type { MathNode } from 'mathjs';

export interface OperatorView {
  /** The operator as written: '+', '-', '*', '/', '^'… */
  readonly op: string;
  /** mathjs's name for it: 'add', 'subtract', 'unaryMinus', 'multiply', 'divide', 'pow'… */
  readonly fn: string;
  readonly args: MathNode[];
}

export interface FunctionView {
  /** The function's name ('' when the callee is not a plain name). */
  readonly name: string;
  /** The callee node itself (a SymbolNode for a named function). */
  readonly callee: MathNode;
  readonly args: MathNode[];
}

/** An operator node's operator and operands; null for any other node. */
export function operator(node: MathNode): OperatorView | null {
  return node.type === 'OperatorNode' ? (node as unknown as OperatorView) : null;
}

/** A function call's name and arguments; null for any other node. */
export function functionCall(node: MathNode): FunctionView | null {
  if (node.type !== 'FunctionNode') return null;
  const call = node as unknown as { fn: MathNode & { name?: string }; args: MathNode[] };
  return { name: call.fn.name ?? '', callee: call.fn, args: call.args };
}

/** A symbol's name; null for any other node. */
export function symbolName(node: MathNode): string | null {
  return node.type === 'SymbolNode' ? (node as unknown as { name: string }).name : null;
}

/** A constant's value as mathjs parsed it (a BigNumber in this project's instance; a string or boolean for other literals); undefined for any other node. */
export function constantValue(node: MathNode): unknown {
  return node.type === 'ConstantNode' ? (node as unknown as { value: unknown }).value : undefined;
}

/** A numeric constant's exact text (its BigNumber written out); null for any other node. */
export function constantText(node: MathNode): string | null {
  return node.type === 'ConstantNode' ? String((node as unknown as { value: unknown }).value) : null;
}

/** The expression inside parentheses; null for any other node. */
export function parenthesised(node: MathNode): MathNode | null {
  return node.type === 'ParenthesisNode' ? (node as unknown as { content: MathNode }).content : null;
}

/** The operands of an operator, the arguments of a call, the content of parentheses; none for a leaf. */
export function children(node: MathNode): readonly MathNode[] {
  const inner = parenthesised(node);
  if (inner) return [inner];
  return operator(node)?.args ?? functionCall(node)?.args ?? [];
}
