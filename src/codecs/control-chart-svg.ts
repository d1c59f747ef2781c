/**
 * A control chart of an instrument's as-found errors over time against its
 * MPE (ILAC-G24 method 2): one dot per measured point, the ±MPE limits as red
 * dashed lines, the 80 % guard of the staircase method as grey dotted lines.
 * Pixel positions are display arithmetic; the values shown are the decimals as stored.
 */
import { daysBetween } from '../core/dates.ts';
import type { Equipment } from '../core/registry/types.ts';
import type { AsFoundPoint } from '../core/verification/interval.ts';
import { clip, esc } from './svg.ts';

const W = 720;
const H = 360;
const M = { left: 90, right: 30, top: 50, bottom: 60 };

export function renderControlChartSvg(equipment: Equipment, points: readonly AsFoundPoint[]): string {
  const mpe = points[0]?.mpe ?? null;
  const errors = points.map((p) => Math.abs(p.error.toNumber()));
  const span = Math.max(mpe ? mpe.toNumber() * 1.2 : 0, ...errors, 1e-12) || 1;
  const first = points[0]?.performedOn;
  const last = points[points.length - 1]?.performedOn;
  const days = first && last ? Math.max(daysBetween(first, last), 1) : 1;
  const x = (d: string) => M.left + (first ? (daysBetween(first as never, d as never) / days) * (W - M.left - M.right) : 0);
  const y = (v: number) => M.top + ((span - v) / (2 * span)) * (H - M.top - M.bottom);
  const unit = equipment.accuracy.kind === 'mpe' ? equipment.accuracy.unit : equipment.range.unit;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(`As-found errors of ${equipment.id}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="24" font-size="15" font-weight="bold">${esc(clip(`As-found error of ${equipment.name}`, 80))}</text>`,
    `<line x1="${M.left}" y1="${y(0)}" x2="${W - M.right}" y2="${y(0)}" stroke="#333"/>`,
    `<text x="${M.left - 8}" y="${y(0) + 4}" text-anchor="end">0</text>`,
    `<text x="16" y="${H / 2}" transform="rotate(-90 16 ${H / 2})" text-anchor="middle">error (${esc(unit)})</text>`,
  ];
  if (mpe) {
    const m = mpe.toNumber();
    for (const [v, label] of [
      [m, `+MPE ${mpe.toString()}`],
      [-m, `−MPE ${mpe.toString()}`],
    ] as const) {
      out.push(
        `<line x1="${M.left}" y1="${y(v)}" x2="${W - M.right}" y2="${y(v)}" stroke="#c62828" stroke-dasharray="6 4"/>`,
        `<text x="${M.left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#c62828">${esc(label)}</text>`,
      );
    }
    for (const v of [0.8 * m, -0.8 * m]) out.push(`<line x1="${M.left}" y1="${y(v)}" x2="${W - M.right}" y2="${y(v)}" stroke="#999" stroke-dasharray="2 3"/>`);
  } else {
    out.push(`<text x="${M.left}" y="${H - 12}" fill="#c62828">no MPE on record for this equipment: limits cannot be drawn</text>`);
  }
  if (points.length === 0) out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no as-found values on record</text>`);
  const dates = [...new Set(points.map((p) => p.performedOn))];
  for (const d of dates) out.push(`<text x="${x(d)}" y="${H - M.bottom + 18}" text-anchor="middle" font-size="10">${d}</text>`);
  for (const p of points) {
    const v = p.error.toNumber();
    const outside = mpe !== null && p.error.abs().greaterThan(mpe);
    out.push(
      `<circle cx="${x(p.performedOn).toFixed(1)}" cy="${y(v).toFixed(1)}" r="4" fill="${outside ? '#c62828' : '#1565c0'}"><title>${esc(`${p.performedOn} ${p.recordId}: nominal ${p.nominal.toString()}, error ${p.error.toString()} ${unit}`)}</title></circle>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
