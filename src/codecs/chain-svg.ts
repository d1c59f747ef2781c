/**
 * The traceability chain as an SVG picture: the national standard at the top,
 * the equipment asked about at the bottom, one box per link with its record,
 * and links with findings drawn in red with the findings' codes.
 */
import type { ChainLink, TraceResult } from '../core/traceability/chain.ts';
import { clip, esc } from './svg.ts';

const BOX_W = 250;
const BOX_H = 64;
const ROW = 120;
const GAP = 30;

export function renderChainSvg(trace: TraceResult): string {
  // Depth of each link from the root, breadth first; a link shared by two paths appears once.
  const depthOf = new Map<ChainLink, number>();
  const queue: ChainLink[] = [trace.chain];
  depthOf.set(trace.chain, 0);
  while (queue.length > 0) {
    const l = queue.shift()!;
    for (const r of l.references) {
      if (!depthOf.has(r)) {
        depthOf.set(r, depthOf.get(l)! + 1);
        queue.push(r);
      }
    }
  }
  const maxDepth = Math.max(...depthOf.values());
  const rows = new Map<number, ChainLink[]>();
  for (const [l, d] of depthOf) rows.set(d, [...(rows.get(d) ?? []), l]);
  const widest = Math.max(...[...rows.values()].map((r) => r.length));
  const width = Math.max(widest * (BOX_W + GAP) + GAP + 180, 620);
  const height = (maxDepth + 1) * ROW + 90;
  const pos = new Map<ChainLink, { x: number; y: number }>();
  for (const [d, links] of rows) {
    const y = 60 + (maxDepth - d) * ROW;
    const total = links.length * BOX_W + (links.length - 1) * GAP;
    links.forEach((l, i) => pos.set(l, { x: (width - 180 - total) / 2 + i * (BOX_W + GAP), y }));
  }
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<title>${esc(`Traceability of ${trace.equipmentId} at ${trace.at}`)}</title>`);
  out.push(
    `<text x="${GAP}" y="28" font-size="15" font-weight="bold" fill="${trace.traceable ? '#1b5e20' : '#b71c1c'}">${esc(`${trace.equipmentId} at ${trace.at}: ${trace.traceable ? 'traceable' : `broken (${trace.findings.length} finding${trace.findings.length === 1 ? '' : 's'})`}`)}</text>`,
  );
  for (const [l, p] of pos) {
    for (const r of l.references) {
      const q = pos.get(r)!;
      const broken = l.findings.length > 0 || r.findings.length > 0;
      out.push(
        `<line x1="${p.x + BOX_W / 2}" y1="${p.y}" x2="${q.x + BOX_W / 2}" y2="${q.y + BOX_H}" stroke="${broken ? '#c62828' : '#607d8b'}" stroke-width="${broken ? 2.5 : 1.5}"/>`,
      );
    }
  }
  for (const [l, p] of pos) {
    const bad = l.findings.length > 0;
    out.push(`<g class="link${bad ? ' broken' : ''}" data-equipment="${esc(l.equipmentId)}">`);
    out.push(
      `<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="8" fill="${bad ? '#ffebee' : '#eceff1'}" stroke="${bad ? '#c62828' : '#546e7a'}" stroke-width="${bad ? 2 : 1}"/>`,
    );
    out.push(`<text x="${p.x + 10}" y="${p.y + 18}" font-weight="bold">${esc(clip(l.equipmentId, 30))}</text>`);
    out.push(`<text x="${p.x + 10}" y="${p.y + 34}" fill="#37474f">${esc(clip((l.equipment?.level ?? 'unknown').replace(/_/g, ' '), 38))}</text>`);
    const line3 = l.record
      ? `${l.record.certificateNo} · ${l.record.performedOn} → ${l.record.validUntil ?? '—'}`
      : l.realisation
        ? `SI: ${l.realisation}`
        : 'no record';
    out.push(`<text x="${p.x + 10}" y="${p.y + 50}" fill="#37474f">${esc(clip(line3, 33))}</text>`);
    l.findings.forEach((f, i) => out.push(`<text x="${p.x + BOX_W + 8}" y="${p.y + 16 + i * 14}" fill="#c62828" font-weight="bold">${esc(f.code)}</text>`));
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
