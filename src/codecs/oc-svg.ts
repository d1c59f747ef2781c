/**
 * The OC curve of a sampling plan as SVG: the probability of acceptance
 * against the fraction nonconforming, with the AQL and the producer's risk
 * there, and optionally an LQ with the consumer's risk. An attributes plan
 * (n, Ac) is drawn from the core's exact binomial figures (core/sampling/oc.ts),
 * a variables plan (n, k) from the noncentral t (core/sampling/variables-oc.ts);
 * the chart's second line names the plan and its model. Pixel positions are
 * display arithmetic.
 */
import { Decimal } from '../core/numeric/decimal.ts';
import { ocCurve, planRisks, type OcPoint } from '../core/sampling/oc.ts';
import { variablesOcCurve, variablesRisks } from '../core/sampling/variables-oc.ts';
import { esc } from './svg.ts';

const W = 720;
const H = 400;
const M = { left: 70, right: 30, top: 60, bottom: 60 };

export interface OcChart {
  readonly title: string;
  /** The plan and its model in words, e.g. "n = 125, Ac = 3, Re = 4; binomial". */
  readonly plan: string;
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
    `<title>${esc(`OC curve, ${c.plan}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="24" font-size="15" font-weight="bold">${esc(c.title)}</text>`,
    `<text x="${M.left}" y="42">${esc(c.plan)}</text>`,
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

/** What the chart needs of a drawn plan (a LotPlanRow). */
export interface ChartedPlan {
  readonly id: string;
  readonly method: 'attributes' | 'variables';
  readonly severity: string;
  readonly codeLetter: string;
  readonly aql: string;
  readonly sampleSize: number;
  readonly acceptance: number | null;
  readonly acceptabilityConstant: string | null;
}

/**
 * The chart of a lot's plan: an attributes plan (n, Ac) under the binomial
 * model (a process's fraction nonconforming; `metrotrace lot plan --lot-size`
 * gives the hypergeometric figures for a finite lot); a variables plan (n, k)
 * under the normal model for one limit (core/sampling/variables-oc.ts), drawn
 * at 40 points — each costs tens of milliseconds in Decimal — against 60.
 */
export function planOcChart(lotId: string, plan: ChartedPlan, lq: Decimal | null, pMax: Decimal): OcChart {
  const aql = new Decimal(plan.aql).dividedBy(100);
  if (plan.method === 'variables') {
    const n = plan.sampleSize;
    const k = new Decimal(plan.acceptabilityConstant!);
    const risks = variablesRisks(n, k, aql, lq);
    return {
      title: `OC curve of variables plan ${plan.id} on lot ${lotId} (${plan.severity}, Z1.9 code letter ${plan.codeLetter}; normal model, one limit)`,
      plan: `n = ${n}, k = ${plan.acceptabilityConstant}; Pa = P(T' ≥ k√n), noncentral t, ν = ${n - 1}, δ = √n·z(p); each limit of ±MPE on its own`,
      curve: variablesOcCurve(n, k, pMax, 40),
      aql: { p: aql, producersRisk: risks.producersRisk },
      lq: lq === null ? null : { p: lq, consumersRisk: risks.consumersRisk! },
    };
  }
  const ac = plan.acceptance!;
  const risks = planRisks(plan.sampleSize, ac, aql, lq);
  return {
    title: `OC curve of plan ${plan.id} on lot ${lotId} (${plan.severity}, code letter ${plan.codeLetter}; binomial model)`,
    plan: `n = ${plan.sampleSize}, Ac = ${ac}, Re = ${ac + 1}; binomial`,
    curve: ocCurve(plan.sampleSize, ac, pMax, 60),
    aql: { p: aql, producersRisk: risks.producersRisk },
    lq: lq === null ? null : { p: lq, consumersRisk: risks.consumersRisk! },
  };
}

/** The curve's upper end when none is asked for: six times the AQL, or one and a half times the LQ if that is further; at most 1. */
export function defaultPMax(aqlPercent: string, lq: Decimal | null): Decimal {
  const aql = new Decimal(aqlPercent).dividedBy(100);
  return Decimal.max(aql.times(6), lq?.times('1.5') ?? 0).clampedTo(0, 1);
}
