/**
 * The energy-metering audit as a page a person reads and prints: the verdict,
 * the equipping-rate table with a bar chart of rates against requirements, and
 * every finding with its rule and metering point. Plain HTML and inline SVG,
 * no script; everything from the data is escaped.
 */
import type { WireAudit } from './energy.ts';
import { esc } from './svg.ts';

const LEVEL = {
  organisation: 'Level 1 — organisation boundary (进出用能单位)',
  sub_unit: 'Level 2 — major secondary units (主要次级用能单位)',
  equipment: 'Level 3 — major equipment (主要用能设备)',
} as const;

function chart(a: WireAudit): string {
  const rows = a.rates.filter((r) => r.required > 0);
  const barH = 18;
  const gap = 10;
  const left = 250;
  const width = 400;
  const h = rows.length * (barH + gap) + 40;
  const x = (pct: number) => left + (Math.min(pct, 100) / 100) * width;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 60}" height="${h}" role="img" aria-label="Equipping rates against requirements" font-family="sans-serif" font-size="12">`,
  ];
  rows.forEach((r, i) => {
    const y = 10 + i * (barH + gap);
    const pct = Number(r.rate ?? 0);
    const ok = r.meets !== false;
    out.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end">${esc(`${r.level} · ${r.energyType}`)}</text>`);
    out.push(`<rect x="${left}" y="${y}" width="${width}" height="${barH}" fill="#eee"/>`);
    out.push(
      `<rect x="${left}" y="${y}" width="${x(pct) - left}" height="${barH}" fill="${ok ? '#2e7d32' : '#c62828'}"><title>${esc(`${r.rate ?? '-'} % of ${r.required} required points`)}</title></rect>`,
    );
    if (r.requiredRate !== null)
      out.push(
        `<line x1="${x(Number(r.requiredRate))}" y1="${y - 3}" x2="${x(Number(r.requiredRate))}" y2="${y + barH + 3}" stroke="#000" stroke-width="2"><title>required ${esc(r.requiredRate)} %</title></line>`,
      );
    out.push(`<text x="${left + width + 6}" y="${y + 13}">${esc(r.rate === null ? '–' : `${Number(r.rate).toFixed(1)} %`)}</text>`);
  });
  out.push(`<text x="${left}" y="${h - 8}" fill="#555">bar: equipping rate · black mark: required rate</text>`, '</svg>');
  return out.join('\n');
}

export function renderAuditHtml(a: WireAudit, organisationName: string): string {
  const verdict = a.verdict === 'compliant' ? ['Compliant', '符合要求', 'compliant'] : ['Not compliant', '不符合要求', 'not-compliant'];
  const nonconformities = a.findings.filter((f) => f.severity === 'nonconformity').length;
  const rateRows = a.rates
    .map(
      (r) =>
        `<tr><td>${esc(LEVEL[r.level])}</td><td>${esc(r.energyType)}</td><td class="n">${r.required}</td><td class="n">${r.installed}</td><td class="n">${r.rate === null ? '–' : esc(Number(r.rate).toFixed(1)) + ' %'}</td><td class="n">${r.requiredRate === null ? '–' : esc(r.requiredRate) + ' %'}</td><td>${r.meets === null ? '–' : r.meets ? 'yes' : '<b class="bad">no</b>'}</td></tr>`,
    )
    .join('\n');
  const findingRows = a.findings
    .map(
      (f) =>
        `<tr class="${f.severity}"><td>${esc(f.severity)}</td><td><code>${esc(f.code)}</code></td><td>${esc(f.level)} · ${esc(f.energyType)}</td><td>${esc(f.pointId ?? '–')}</td><td>${esc(f.equipmentId ?? '–')}</td><td>${esc(f.message)}</td><td class="rule">${esc(f.rule)}</td></tr>`,
    )
    .join('\n');
  const pointRows = a.points
    .map((p) => `<tr><td>${esc(p.pointId)}</td><td>${p.required ? 'required' : 'not required'}</td><td>${esc(p.reason)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(`Energy-metering audit ${a.id} — ${organisationName}`)}</title>
<link rel="stylesheet" href="/energy-report.css">
</head>
<body>
<h1>Energy-metering audit (能源计量审查) — ${esc(organisationName)}</h1>
<p>Audit <code>${esc(a.id)}</code> of organisation <code>${esc(a.organisationId)}</code> at ${esc(a.at)}, against ${esc(a.rulesVersion)}, inventory version ${a.inventoryVersion}.</p>
<p><span class="verdict ${verdict[2]}">${verdict[0]} · ${verdict[1]}</span> ${nonconformities} nonconformit${nonconformities === 1 ? 'y' : 'ies'}, ${a.findings.length - nonconformities} observation(s).</p>
<h2>Equipping rates (配备率)</h2>
<table><thead><tr><th>level</th><th>energy</th><th>required points</th><th>metered</th><th>rate</th><th>required</th><th>met</th></tr></thead>
<tbody>
${rateRows}
</tbody></table>
<figure>${chart(a)}</figure>
<h2>Findings</h2>
${a.findings.length === 0 ? '<p>No findings.</p>' : `<table><thead><tr><th>severity</th><th>code</th><th>where</th><th>metering point</th><th>meter</th><th>finding</th><th>rule</th></tr></thead><tbody>\n${findingRows}\n</tbody></table>`}
<h2>Metering points</h2>
<table><thead><tr><th>point</th><th>required?</th><th>why</th></tr></thead><tbody>
${pointRows}
</tbody></table>
<p class="noprint"><small>Machine-readable: <code>GET /v1/energy-audits/${esc(a.id)}</code>. Figures of GB 17167-2006 carry the confidence flags of fixtures/reference/.</small></p>
</body>
</html>
`;
}

/** The report's stylesheet, served at /energy-report.css: the strict CSP admits no inline style. */
export const ENERGY_REPORT_CSS = `body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; } td.rule { color: #555; font-size: 0.8rem; }
.verdict { display: inline-block; padding: 4px 12px; color: white; border-radius: 4px; }
.verdict.compliant { background: #2e7d32; } .verdict.not-compliant { background: #c62828; }
.bad { color: #c62828; } tr.nonconformity td:first-child { color: #c62828; font-weight: bold; }
@media print { body { margin: 0; max-width: none; } .noprint { display: none; } }
`;
