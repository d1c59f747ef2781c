/**
 * The OC curve of a single sampling plan (n, Ac) as SVG: the probability of
 * acceptance against the fraction nonconforming (binomial), with the AQL and
 * the producer's risk there, and optionally an LQ with the consumer's risk.
 * The values are the core's exact ones (core/sampling/oc.ts); pixel positions
 * are display arithmetic.
 */
import type { Decimal } from '../core/numeric/decimal.ts';
import type { OcPoint } from '../core/sampling/oc.ts';
import { esc } from './svg.ts';

const W = 720;
const H = 400;
const M = { left: 70, right: 30, top: 60, bottom: 60 };

export interface OcChart {
  readonly title: string;
  readonly sampleSize: number;
  readonly acceptance: number;
  readonly curve: readonly OcPoint[];
  /** AQL as a fraction, with 1 − Pa there. */
  readonly aql: { readonly p: Decimal; readonly producersRisk: Decimal };
  readonly lq: { readonly p: Decimal; readonly consumersRisk: Decimal } | null;
}

const pct = (d: Decimal, digits = 3): string => `${d.times(100).toSignificantDigits(digits).toString()} %`;

export function renderOcSvg(c: OcChart): string {
  const pMax = c.curve[c.curve.length - 1]!.p.toNumber() || 1;
  const x = (p: number) => M.left + (p / pMax) * (W - M.left - M.right);
  const y = (pa: number) => M.top + (1 - pa) * (H - M.top - M.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(`OC curve, n = ${c.sampleSize}, Ac = ${c.acceptance}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="24" font-size="15" font-weight="bold">${esc(c.title)}</text>`,
    `<text x="${M.left}" y="42">${esc(`n = ${c.sampleSize}, Ac = ${c.acceptance}, Re = ${c.acceptance + 1}; binomial`)}</text>`,
    `<line x1="${M.left}" y1="${y(0)}" x2="${W - M.right}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${M.left}" y1="${y(0)}" x2="${M.left}" y2="${y(1)}" stroke="#333"/>`,
    `<text x="${W / 2}" y="${H - 16}" text-anchor="middle">fraction nonconforming in the lot</text>`,
    `<text x="16" y="${H / 2}" transform="rotate(-90 16 ${H / 2})" text-anchor="middle">probability of acceptance</text>`,
  ];
  for (const v of [0, 0.25, 0.5, 0.75, 1])
    out.push(
      `<text x="${M.left - 8}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
      `<line x1="${M.left}" y1="${y(v)}" x2="${W - M.right}" y2="${y(v)}" stroke="#eee"/>`,
    );
  for (let i = 0; i <= 4; i++) {
    const p = (pMax * i) / 4;
    out.push(`<text x="${x(p)}" y="${H - M.bottom + 18}" text-anchor="middle">${(p * 100).toPrecision(3)} %</text>`);
  }
  const path = c.curve.map((pt, i) => `${i === 0 ? 'M' : 'L'}${x(pt.p.toNumber()).toFixed(1)},${y(pt.pa.toNumber()).toFixed(1)}`).join(' ');
  out.push(`<path d="${path}" fill="none" stroke="#1565c0" stroke-width="2"/>`);
  const marker = (p: Decimal, label: string, colour: string) => {
    const px = x(p.toNumber());
    out.push(
      `<line x1="${px.toFixed(1)}" y1="${y(0)}" x2="${px.toFixed(1)}" y2="${y(1)}" stroke="${colour}" stroke-dasharray="6 4"/>`,
      `<text x="${(px + 4).toFixed(1)}" y="${M.top + (colour === '#c62828' ? 30 : 14)}" fill="${colour}">${esc(label)}</text>`,
    );
  };
  marker(c.aql.p, `AQL ${pct(c.aql.p)}: producer's risk ${pct(c.aql.producersRisk)}`, '#2e7d32');
  if (c.lq) marker(c.lq.p, `LQ ${pct(c.lq.p)}: consumer's risk ${pct(c.lq.consumersRisk)}`, '#c62828');
  out.push('</svg>');
  return out.join('\n');
}
