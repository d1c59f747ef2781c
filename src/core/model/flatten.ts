/**
 * Normalises a parsed model without recursion: parentheses are dropped,
 * a − b becomes a + (−b), and chains of + and × become single n-ary nodes.
 * mathjs parses "x0 + x1 + … + x9999" as a left-leaning tree 9,999 levels deep;
 * flattened it is one node with 10,000 operands, which every later step
 * (checks, compilation, differentiation) can walk without deep recursion.
 */
import type { MathNode } from 'mathjs';
import { math } from '../numeric/math.ts';

type AnyNode = MathNode & { args?: MathNode[]; content?: MathNode; fn?: unknown; op?: string };

function children(node: AnyNode): MathNode[] {
  if (node.type === 'OperatorNode' || node.type === 'FunctionNode') return node.args ?? [];
  if (node.type === 'ParenthesisNode') return node.content ? [node.content] : [];
  return [];
}

const OperatorNode = math.OperatorNode as unknown as new (op: string, fn: string, args: MathNode[]) => MathNode;
const FunctionNode = math.FunctionNode as unknown as new (fn: MathNode | string, args: MathNode[]) => MathNode;

function rebuild(node: AnyNode, kids: MathNode[]): MathNode {
  if (node.type === 'ParenthesisNode') return kids[0]!;
  if (node.type === 'FunctionNode') return new FunctionNode(node.fn as MathNode, kids);
  if (node.type !== 'OperatorNode') return node;
  let fn = node.fn as string;
  let args = kids;
  if (fn === 'subtract') {
    fn = 'add';
    args = [kids[0]!, new OperatorNode('-', 'unaryMinus', [kids[1]!])];
  }
  if (fn === 'add' || fn === 'multiply') {
    const flat: MathNode[] = [];
    for (const a of args) {
      const an = a as AnyNode;
      if (an.type === 'OperatorNode' && an.fn === fn) flat.push(...(an.args ?? []));
      else flat.push(a);
    }
    return new OperatorNode(fn === 'add' ? '+' : '*', fn, flat);
  }
  return new OperatorNode(node.op ?? '', fn, args);
}

export function flatten(root: MathNode): MathNode {
  const done = new Map<MathNode, MathNode>();
  const stack: Array<[AnyNode, boolean]> = [[root as AnyNode, false]];
  while (stack.length > 0) {
    const [node, expanded] = stack.pop()!;
    const kids = children(node);
    if (!expanded && kids.length > 0) {
      stack.push([node, true]);
      for (const k of kids) stack.push([k as AnyNode, false]);
      continue;
    }
    done.set(node, rebuild(node, kids.map((k) => done.get(k)!)));
  }
  return done.get(root)!;
}
