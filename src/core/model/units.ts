/**
 * The unit of a model's output, for the reported result. Units are optional and
 * informational in the contract, so this is best effort: the model is evaluated
 * on mathjs units; where that fails (a unit mathjs does not know, an input
 * without one, a sum of unlike units), the unit of the first term of a top-level
 * sum or difference is taken, recursively, as a measurement model is normally
 * written "reading + corrections". Otherwise the output has no unit.
 */
import type { MathNode } from 'mathjs';
import { math } from '../numeric/math.ts';
import { operator, parenthesised } from './nodes.ts';

export function inferUnit(node: MathNode, units: ReadonlyMap<string, string | null>): string | null {
  const scope: Record<string, unknown> = {};
  for (const [name, unit] of units) {
    const u = unit === null ? null : parseUnit(unit);
    scope[name] = u ?? math.bignumber(1);
  }
  return unitOf(node, scope);
}

function parseUnit(unit: string): unknown {
  for (const text of [`1 ${unit}`, unit]) {
    try {
      const v = math.evaluate(text);
      if (math.typeOf(v) === 'Unit') return v;
    } catch {
      // try the next spelling
    }
  }
  return null;
}

function unitOf(node: MathNode, scope: Record<string, unknown>): string | null {
  try {
    const v = node.evaluate(scope) as { formatUnits?: () => string };
    if (math.typeOf(v) === 'Unit' && v.formatUnits) {
      const text = v.formatUnits();
      return text === '' ? null : text;
    }
    if (math.typeOf(v) === 'BigNumber' || math.typeOf(v) === 'number') return null;
  } catch {
    // fall through to the first term
  }
  let inner = node;
  for (let content = parenthesised(inner); content; content = parenthesised(inner)) inner = content;
  const op = operator(inner);
  if (op && (op.fn === 'add' || op.fn === 'subtract') && op.args[0]) return unitOf(op.args[0], scope);
  return null;
}
