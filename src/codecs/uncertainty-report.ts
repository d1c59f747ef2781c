/**
 * A person-readable uncertainty budget (CLI --report): the rounded statement,
 * the combined figures, and one row per input with its sensitivity,
 * contribution and share, in the spirit of GUM H.1 Table H.1.
 */
import type { Decimal } from '../core/numeric/decimal.ts';
import type { LpuResult } from '../core/uncertainty/lpu.ts';
import type { McResult } from '../core/uncertainty/monte-carlo/evaluate.ts';

const sig = (d: Decimal, n = 6) => (d.isFinite() ? (d.isZero() ? '0' : d.toSignificantDigits(n).toString()) : 'inf');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map(
      (r) =>
        '  ' +
        r
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

export function renderReport(e: { readonly lpu: LpuResult; readonly monteCarlo: McResult | null }): string {
  const parts: string[] = [];
  for (const o of e.lpu.outputs) {
    const unit = o.unit ? ` ${o.unit}` : '';
    parts.push(o.reported);
    parts.push(
      `  u_c = ${sig(o.standardUncertainty)}${unit}   ν_eff = ${o.effectiveDof.isFinite() ? o.effectiveDof.toDecimalPlaces(2).toString() : 'inf'}   k = ${sig(o.coverageFactor, 4)}   U = ${sig(o.expandedUncertainty)}${unit}`,
    );
    const rows = [['quantity', 'value', 'u(x)', 'unit', 'ν', 'c = ∂f/∂x', '|c|·u(x)', 'share']];
    const sorted = [...o.budget].sort((a, b) => b.contribution.comparedTo(a.contribution));
    for (const b of sorted) {
      rows.push([
        b.quantity,
        b.value.toString(),
        sig(b.u),
        b.unit ?? '',
        sig(b.dof),
        sig(b.sensitivity),
        sig(b.contribution),
        `${b.share.times(100).toFixed(1)} %`,
      ]);
    }
    parts.push('', table(rows), '');
  }
  if (e.monteCarlo) {
    const mc = e.monteCarlo;
    parts.push(
      `Monte Carlo (JCGM 101): ${mc.trials.toLocaleString('en')} trials, seed ${mc.seed.toString()}${mc.adaptive ? `, adaptive: ${mc.adaptive.batches} batches, ${mc.adaptive.converged ? 'converged' : 'NOT converged within the trial limit'}` : ''}`,
    );
    for (const o of mc.outputs) {
      const v = o.validation;
      parts.push(
        `  ${o.name}: mean ${o.summary.mean}, u ${o.summary.standardDeviation}, interval [${o.summary.low}, ${o.summary.high}]; LPU ${v.passed ? 'validated' : 'NOT validated'} (d_low ${v.dLow.toExponential(2)}, d_high ${v.dHigh.toExponential(2)}, δ ${v.tolerance.toExponential(1)})`,
      );
    }
    parts.push('');
  }
  if (e.lpu.outputs.length > 1) {
    parts.push('Correlation between outputs (LPU):');
    for (const [a, row] of e.lpu.correlation) for (const [b, r] of row) if (a < b) parts.push(`  r(${a}, ${b}) = ${r.toDecimalPlaces(4).toString()}`);
    parts.push('');
  }
  return parts.join('\n');
}
