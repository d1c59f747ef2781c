/**
 * Reports on lots of meters in service (issue #22, item 5): a lot's history as
 * CSV, one line per event, and a region's meter population by age and state as
 * a stacked bar chart (SVG). The events and the counts are the core's
 * (core/sampling/lot.ts lotEvents, core/sampling/population.ts); this is their
 * layout.
 */
import type { CalendarDate } from '../core/dates.ts';
import { LOT_STATE_NAMES, LOT_STATES, type LotEvent, type LotEventKind, type LotState } from '../core/sampling/lot.ts';
import type { Population } from '../core/sampling/population.ts';
import { type CsvColumns, type CsvLang, spreadsheetCsv } from './csv.ts';
import { esc } from './svg.ts';

/** One line of a lot's history: the event with the plan drawn or decided, its decision, and the rotation's remarks. */
export interface LotHistoryEvent extends LotEvent {
  readonly plan: {
    readonly codeLetter: string;
    readonly sampleSize: number;
    readonly acceptance: number | null;
    readonly rejection: number | null;
    readonly aql: string;
    readonly severity: string;
    /** attributes (absent: attributes) or variables, with a variables plan's k and the MPE it fixed (null if drawn before it was fixed). */
    readonly method?: 'attributes' | 'variables';
    readonly acceptabilityConstant?: string | null;
    readonly mpe?: string | null;
  } | null;
  readonly result: {
    readonly nonconforming: number;
    readonly decision: 'accept' | 'reject';
    readonly rule: string;
    /** A variables decision's figures (decimals as strings); null for attributes. */
    readonly statistics?: { readonly mean: string; readonly standardDeviation: string; readonly qUpper: string | null; readonly qLower: string | null } | null;
  } | null;
  readonly remarks: string | null;
}

/** A lot's history through a date (GET /v1/lots/{id}/history.csv). */
export interface LotHistory {
  readonly lot: {
    readonly id: string;
    readonly size: number;
    readonly category: string;
    readonly model: string;
    readonly installedFrom: CalendarDate;
    readonly installedTo: CalendarDate;
  };
  readonly through: CalendarDate;
  readonly lifeEndsOn: CalendarDate | null;
  readonly events: readonly LotHistoryEvent[];
}

export const LOT_EVENT_NAMES: Readonly<Record<LotEventKind, { zh: string; en: string }>> = {
  registered: { zh: '登记', en: 'registered' },
  plan_drawn: { zh: '抽样方案抽取', en: 'sampling plan drawn' },
  decision: { zh: '批判定', en: 'lot decision' },
  extension_ended: { zh: '延长使用期满', en: 'extension ended' },
  life_ended: { zh: '使用年限届满', en: 'service life ended' },
  rotated: { zh: '已轮换', en: 'rotated' },
};

const HISTORY_COLUMNS: CsvColumns = [
  ['date', '日期'],
  ['event', '事件'],
  ['event_name', '事件名称'],
  ['state', '状态'],
  ['state_name', '状态名称'],
  ['plan_id', '抽样方案编号'],
  ['lot_size', '批量'],
  ['category', '强检目录类别'],
  ['model', '型号规格'],
  ['installed_from', '安装起始日期'],
  ['installed_to', '安装截止日期'],
  ['life_ends_on', '使用年限截止日'],
  ['code_letter', '样本量字码'],
  ['sample_size', '样本量n'],
  ['acceptance_number', '接收数Ac'],
  ['rejection_number', '拒收数Re'],
  ['sampling_method', '抽样方式'],
  ['k', '接收常数k'],
  ['mpe', '最大允许误差MPE'],
  ['aql', '接收质量限AQL(%)'],
  ['severity', '检验严格度'],
  ['nonconforming', '不合格品数d'],
  ['mean', '样本均值x̄'],
  ['standard_deviation', '样本标准差s'],
  ['q_upper', '上限质量统计量Q_U'],
  ['q_lower', '下限质量统计量Q_L'],
  ['decision', '判定结果'],
  ['extended_until', '延长使用至'],
  ['rotate_by', '轮换截止日'],
  ['detail', '说明'],
];

/** A lot's history, one line per event in date order (see LotService.history). */
export function lotHistoryCsv(h: LotHistory, opts: { readonly lang?: CsvLang; readonly bom?: boolean } = {}): string {
  const lang = opts.lang ?? 'en';
  const l = h.lot;
  const rows = h.events.map((e) => {
    const registered = e.kind === 'registered';
    const p = e.plan;
    const detail = [e.result?.rule, e.status.reason, e.remarks].filter((x) => x !== null && x !== undefined && x !== '').join('; ');
    return [
      e.on,
      e.kind,
      LOT_EVENT_NAMES[e.kind][lang],
      e.status.state,
      LOT_STATE_NAMES[e.status.state][lang],
      e.planId,
      registered || p ? l.size : null,
      registered ? l.category : null,
      registered ? l.model : null,
      registered ? l.installedFrom : null,
      registered ? l.installedTo : null,
      registered ? h.lifeEndsOn : null,
      p?.codeLetter ?? null,
      p?.sampleSize ?? null,
      p?.acceptance ?? null,
      p?.rejection ?? null,
      p ? (p.method ?? 'attributes') : null,
      p?.acceptabilityConstant ?? null,
      p?.mpe ?? null,
      p?.aql ?? null,
      p?.severity ?? null,
      e.result?.nonconforming ?? null,
      e.result?.statistics?.mean ?? null,
      e.result?.statistics?.standardDeviation ?? null,
      e.result?.statistics?.qUpper ?? null,
      e.result?.statistics?.qLower ?? null,
      e.result?.decision ?? null,
      e.status.until,
      e.status.rotateBy,
      detail,
    ];
  });
  return spreadsheetCsv(HISTORY_COLUMNS, rows, opts);
}

/** One colour per state, told apart in print and by most colour-blind readers (Okabe–Ito). */
export const STATE_COLOURS: Readonly<Record<LotState, string>> = {
  in_service: '#0072B2',
  under_sampling: '#E69F00',
  extended: '#009E73',
  to_rotate: '#D55E00',
  rotated: '#999999',
};

const W = 760;
const H = 440;
const M = { left: 80, right: 200, top: 60, bottom: 60 };

/** A round axis maximum and step (1, 2 or 5 × 10^k) over `max`. */
function axis(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  const stepInt = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / stepInt) * stepInt, step: stepInt };
}

/** The population as a stacked bar chart: one bar per installation year (or age), meters on y, one colour per state. */
export function renderPopulationSvg(p: Population & { readonly regionCode: string | null; readonly ownerId: string | null }): string {
  const scope = [p.regionCode ? `region ${p.regionCode}` : null, p.ownerId ? `owner ${p.ownerId}` : null].filter(Boolean).join(', ') || 'all lots';
  const title = `Meters in service by ${p.by === 'age' ? 'age' : 'installation year'} and state, ${scope}, at ${p.at}`;
  const { top, step } = axis(Math.max(0, ...p.groups.map((g) => g.meters)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const slot = p.groups.length === 0 ? plotW : plotW / p.groups.length;
  const barW = Math.min(60, slot * 0.7);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${M.left}" y="42">${esc(`${p.totals.meters} meters in ${p.totals.lots} lots`)}</text>`,
  ];
  for (let v = 0; v <= top; v += step)
    out.push(
      `<line x1="${M.left}" y1="${y(v).toFixed(1)}" x2="${M.left + plotW}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${M.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`,
    );
  out.push(
    `<line x1="${M.left}" y1="${y(0)}" x2="${M.left + plotW}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${M.left}" y1="${y(0)}" x2="${M.left}" y2="${M.top}" stroke="#333"/>`,
    `<text x="${M.left + plotW / 2}" y="${H - 16}" text-anchor="middle">${p.by === 'age' ? `age in whole years at ${esc(p.at)}` : 'year of installation'}</text>`,
    `<text x="18" y="${M.top + plotH / 2}" transform="rotate(-90 18 ${M.top + plotH / 2})" text-anchor="middle">meters</text>`,
  );
  if (p.groups.length === 0) out.push(`<text x="${M.left + plotW / 2}" y="${M.top + plotH / 2}" text-anchor="middle">no lots</text>`);
  p.groups.forEach((g, i) => {
    const x = M.left + slot * i + (slot - barW) / 2;
    let base = 0;
    for (const s of LOT_STATES) {
      const c = g.byState[s];
      if (c.meters === 0) continue;
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y(base + c.meters).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + c.meters)).toFixed(1)}" fill="${STATE_COLOURS[s]}" data-key="${g.key}" data-state="${s}" data-meters="${c.meters}" data-lots="${c.lots}"><title>${esc(`${g.key}: ${LOT_STATE_NAMES[s].en}, ${c.meters} meters in ${c.lots} lots`)}</title></rect>`,
      );
      base += c.meters;
    }
    out.push(
      `<text x="${(x + barW / 2).toFixed(1)}" y="${H - M.bottom + 18}" text-anchor="middle">${g.key}</text>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(g.meters) - 4).toFixed(1)}" text-anchor="middle" font-size="10">${g.meters}</text>`,
    );
  });
  const lx = W - M.right + 20;
  out.push(`<text x="${lx}" y="${M.top}" font-weight="bold">state</text>`);
  LOT_STATES.forEach((s, i) => {
    const ly = M.top + 14 + i * 22;
    out.push(
      `<rect x="${lx}" y="${ly}" width="14" height="14" fill="${STATE_COLOURS[s]}"/>`,
      `<text x="${lx + 20}" y="${ly + 11}">${esc(`${LOT_STATE_NAMES[s].zh} ${s.replace(/_/g, ' ')} (${p.totals.byState[s].meters})`)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
