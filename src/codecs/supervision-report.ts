/**
 * Supervision pages and pictures: a spot-check plan as the inspection team's
 * page (targets, inspectors, outcomes), and a region's integrity grades as a
 * bar chart. Plain HTML and SVG, no script and no inline style (the CSP allows
 * neither); everything from the data is escaped.
 */
import type { Grade } from '../core/supervision/draw.ts';
import { OUTCOME_NAMES, type InUseInspection } from '../core/supervision/inspection.ts';
import { latestInspectionOf, type PublishedPlan } from './supervision.ts';
import { esc } from './svg.ts';

const GRADE_COLOURS: Readonly<Record<Grade, string>> = { A: '#2e7d32', B: '#9e9d24', C: '#ef6c00', D: '#c62828' };

/** The grades of a region's organisations as bars, A to D, each with its count and share. */
export function renderIntegritySvg(distribution: Readonly<Record<Grade, number>>, region: string, at: string): string {
  const grades: Grade[] = ['A', 'B', 'C', 'D'];
  const total = grades.reduce((s, g) => s + distribution[g], 0);
  const max = Math.max(1, ...grades.map((g) => distribution[g]));
  const left = 60;
  const width = 360;
  const barH = 26;
  const gap = 12;
  const h = 50 + grades.length * (barH + gap) + 20;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 120}" height="${h}" role="img" aria-label="${esc(`Integrity grades of region ${region} on ${at}`)}" font-family="sans-serif" font-size="13">`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${esc(`诚信计量分级 · ${region} · ${at}`)}</text>`,
  ];
  grades.forEach((g, i) => {
    const y = 40 + i * (barH + gap);
    const n = distribution[g];
    const w = (n / max) * width;
    const share = total === 0 ? '–' : `${((100 * n) / total).toFixed(1)} %`;
    out.push(`<text x="${left - 10}" y="${y + 18}" text-anchor="end" font-weight="bold">${g}</text>`);
    out.push(
      `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${GRADE_COLOURS[g]}"><title>${esc(`${g}: ${n} of ${total}`)}</title></rect>`,
    );
    out.push(`<text x="${(left + w + 8).toFixed(1)}" y="${y + 18}">${esc(`${n} (${share})`)}</text>`);
  });
  out.push(`<text x="${left}" y="${h - 8}" fill="#555">${esc(`${total} organisations graded`)}</text>`, '</svg>');
  return out.join('\n');
}

/** The plan as the inspection team's page: what was drawn, by whom to be inspected, and what each inspection found. */
export function renderPlanHtml(
  plan: PublishedPlan & { closedOn: string | null },
  inspections: readonly InUseInspection[],
  organisationNames: ReadonlyMap<string, string>,
): string {
  const rows = plan.result.targets
    .map((t, i) => {
      const o = latestInspectionOf(plan.unit, t, inspections);
      const outcome = o === null ? '未检查 not inspected' : `${OUTCOME_NAMES[o.outcome].zh} ${OUTCOME_NAMES[o.outcome].en}`;
      return `<tr><td>${i + 1}</td><td>${esc(t.unitId)}</td><td>${esc(organisationNames.get(t.organisationId) ?? t.organisationId)}</td><td>${esc(t.region)}</td><td>${esc(t.grade ?? '–')}</td><td>${esc(t.inspectors.join('、') || (t.unassigned ?? ''))}</td><td>${esc(o?.inspectedOn ?? '')}</td><td>${esc(outcome)}</td><td>${esc(o?.rectifyBy ?? '')}</td></tr>`;
    })
    .join('\n');
  const strata = plan.result.strata.map((s) => `<tr><td>${esc(s.stratum || '(all)')}</td><td>${s.size}</td><td>${s.drawn}</td></tr>`).join('\n');
  const w = plan.rules.weights;
  return `<!doctype html>
<html lang="zh">
<head><meta charset="utf-8"><title>${esc(plan.title)}</title><link rel="stylesheet" href="/certificate.css"></head>
<body>
<h1>${esc(plan.title)}</h1>
<p>双随机抽查计划 · spot-check plan <code>${esc(plan.id)}</code> · ${esc(plan.regulatorId)} · 抽取日期 drawn ${esc(plan.drawDate)}${plan.closedOn ? ` · 已结束 closed ${esc(plan.closedOn)}` : ''}</p>
<table>
<tr><th>公开随机种子 public seed</th><td>${esc(plan.seed)}</td></tr>
<tr><th>抽查对象库 population</th><td>${plan.population.length} · SHA-256 <code>${esc(plan.populationHash)}</code></td></tr>
<tr><th>诚信等级权重 grade weights</th><td>A ${w.A} · B ${w.B} · C ${w.C} · D ${w.D} · ungraded ${w.ungraded}</td></tr>
<tr><th>每个对象检查人员 inspectors per target</th><td>${plan.rules.inspectorsPerTarget}; cooling-off ${plan.rules.coolingOffMonths} months</td></tr>
</table>
<h2>分层 Strata</h2>
<table><tr><th>stratum</th><th>units</th><th>drawn</th></tr>
${strata}
</table>
<h2>抽查对象 Targets</h2>
<table>
<tr><th>#</th><th>对象 target</th><th>单位 organisation</th><th>区划 region</th><th>等级 grade</th><th>检查人员 inspectors</th><th>检查日期 inspected</th><th>结果 outcome</th><th>整改期限 rectify by</th></tr>
${rows}
</table>
<p>Re-draw: <code>metrotrace spot-check verify plan.json</code> with <code>GET /v1/spot-checks/${esc(plan.id)}/plan.json</code> (docs/spot-checks.md).</p>
</body>
</html>
`;
}
