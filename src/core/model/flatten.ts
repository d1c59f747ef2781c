/**
 * Normalises a parsed model without recursion: parentheses are dropped,
 * a − b becomes a + (−b), and chains of + and × become single n-ary nodes.
 * mathjs parses "x0 + x1 + … + x9999" as a left-leaning tree 9,999 levels deep;
 * flattened it is one node with 10,000 operands, which every later step
 * (checks, compilation, differentiation) can walk without deep recursion.
 */
import type { MathNode } from 'mathjs';
import { math } from '../numeric/math.ts';
import { children } from './nodes.ts';

type AnyNode = MathNode & { args?: MathNode[]; content?: MathNode; fn?: unknown; op?: string };

const OperatorNode = math.OperatorNode as unknown as new (op: string, fn: string, args: MathNode[]) => MathNode;
const FunctionNode = math.FunctionNode as unknown as new (fn: MathNode | string, args: MathNode[]) => MathNode;

/** Flat nodes made by this pass (their operand lists are ours to extend). */
const built = new WeakSet<MathNode>();

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
    // A left-leaning chain hands its flat node up as the first operand: its
    // operand list is taken over, not copied, so a chain of n terms costs
    // O(n), not O(n²) (a 20,001-term sum once exhausted the heap here).
    const first = args[0] as AnyNode;
    const takeOver = built.has(first) && first.type === 'OperatorNode' && first.fn === fn;
    const flat: MathNode[] = takeOver ? first.args! : [];
    for (const a of takeOver ? args.slice(1) : args) {
      const an = a as AnyNode;
      if (an.type === 'OperatorNode' && an.fn === fn) flat.push(...(an.args ?? []));
      else flat.push(a);
    }
    if (takeOver) return first; // extended in place: a new node would check all n operands again
    const node = new OperatorNode(fn === 'add' ? '+' : '*', fn, flat);
    built.add(node);
    return node;
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
    // Each node has one parent: a child's result is used once, then let go.
    done.set(
      node,
      rebuild(
        node,
        kids.map((k) => {
          const r = done.get(k)!;
          done.delete(k);
          return r;
        }),
      ),
    );
  }
  return done.get(root)!;
}
