/**
 * The "double random" draw of a spot-check plan (双随机: targets drawn at random
 * from a register, inspectors drawn at random from a pool), defined so that
 * anyone holding the published plan can draw it again and get the same
 * targets and the same inspectors.
 *
 * The algorithm (docs/spot-checks.md gives it for third parties):
 *
 * 1. Randomness is HMAC-SHA-256 keyed by the public seed (the announced draw
 *    string), in counter mode: block c of a message m is HMAC(seed, `m|c`),
 *    64 hex digits, read as four 16-hex-digit numbers.
 * 2. Each unit of the population (an instrument or an organisation) gets an
 *    integer weight from its integrity grade (the plan's table, e.g. A 1,
 *    B 2, C 3, D 4; ungraded units the plan's `ungraded` weight). Its key is
 *    the largest of its first `weight` numbers from the blocks of
 *    `target|<unit id>`: the maximum of w uniform numbers is distributed as
 *    U^(1/w), so this is Efraimidis and Spirakis' weighted sampling without
 *    replacement in whole numbers, with no floating point to disagree on.
 * 3. In each stratum the units with the largest keys are drawn (ties, which
 *    do not happen in practice, by id): `size` units, or `ceil(rate × stratum
 *    size)`, never more than the stratum holds.
 * 4. Inspectors are assigned target by target in the order of the targets'
 *    keys (largest first): among the inspectors who cover the target's
 *    region (a GB/T 2260 code covers the codes it prefixes once its trailing
 *    pairs of zeros are dropped) and have no conflict with it (a declared conflict with its
 *    organisation, or an inspection of that organisation in the cooling-off
 *    months before the draw date), those with the fewest targets so far,
 *    ties broken by the largest first number of `assign|<target id>|<inspector
 *    id>`. A target with too few eligible inspectors is reported unassigned
 *    with the reason: an outcome, not an error.
 *
 * The population is fixed by its digest: the units sorted by id, one line
 * each of id, stratum, grade, organisation and region separated by tabs,
 * hashed with SHA-256. The hash and the MAC are the caller's (the core does
 * no cryptography of its own); the texts they are applied to are defined
 * here, once.
 */
import { addMonths, compareDates, type CalendarDate } from '../dates.ts';
import { fail } from '../errors.ts';
import { Decimal } from '../numeric/decimal.ts';
import { regionContains } from '../verification/policy.ts';

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];

/** HMAC-SHA-256 of `message` under `key`, as 64 lowercase hex digits. */
export type HmacSha256 = (key: string, message: string) => string;

/** One unit that can be drawn: an instrument, or an organisation for an organisation-level plan. */
export interface DrawUnit {
  readonly id: string;
  /** The stratum the plan samples within (e.g. a region, a category); "" for one stratum. */
  readonly stratum: string;
  readonly grade: Grade | null;
  /** The organisation inspected: the owner of an instrument, the organisation itself otherwise. */
  readonly organisationId: string;
  readonly region: string;
}

export interface Inspector {
  readonly id: string;
  /** The regions the inspector may be sent to (a code covers the codes it prefixes: 31 and 310000 cover 310104); empty for any. */
  readonly regions: readonly string[];
  /** Organisations the inspector declared a conflict with (a former employer, a relative's firm). */
  readonly conflicts: readonly string[];
}

/** An inspection done before, which keeps its inspector away from the organisation for the cooling-off months. */
export interface PastInspection {
  readonly inspectorId: string;
  readonly organisationId: string;
  readonly on: CalendarDate;
}

export type GradeWeights = Readonly<Record<Grade, number>> & { readonly ungraded: number };

/** A stratum's sample: a number of units, or a share of the stratum (0 < rate ≤ 1), rounded up. */
export type SampleRule = { readonly size: number } | { readonly rate: Decimal };

export interface DrawRules {
  readonly seed: string;
  readonly drawDate: CalendarDate;
  readonly weights: GradeWeights;
  /** The sample of every stratum, unless `strata` names its own. */
  readonly sample: SampleRule;
  readonly strata?: Readonly<Record<string, SampleRule>>;
  readonly inspectorsPerTarget: number;
  /** Months after an inspection during which its inspector is not sent to the same organisation again. */
  readonly coolingOffMonths: number;
}

export interface DrawnTarget {
  readonly unitId: string;
  readonly stratum: string;
  readonly organisationId: string;
  readonly region: string;
  readonly grade: Grade | null;
  /** The unit's key (16 hex digits): the larger, the earlier it was drawn. */
  readonly key: string;
  readonly inspectors: readonly string[];
  /** Why fewer inspectors than the plan asks were assigned; null when all were. */
  readonly unassigned: string | null;
}

export interface StratumDraw {
  readonly stratum: string;
  readonly size: number;
  readonly drawn: number;
  /** Units of each grade in the stratum, and drawn from it. */
  readonly byGrade: Readonly<Record<Grade | 'ungraded', { readonly units: number; readonly drawn: number }>>;
}

export interface DrawResult {
  readonly populationHash: string;
  readonly populationSize: number;
  readonly strata: readonly StratumDraw[];
  readonly targets: readonly DrawnTarget[];
  /** Targets per inspector, every inspector of the pool listed. */
  readonly load: Readonly<Record<string, number>>;
}

const MAX_WEIGHT = 64;

/** Checks a weight table: whole numbers from 1 to 64. */
export function checkWeights(weights: GradeWeights, path: string): void {
  for (const g of [...GRADES, 'ungraded'] as const) {
    const w = weights[g];
    if (!Number.isInteger(w) || w < 1 || w > MAX_WEIGHT)
      fail('INVALID_FIELD', `${path}/${g}`, `the weight of grade ${g} must be a whole number from 1 to ${MAX_WEIGHT}, got ${String(w)}`);
  }
}

/** The text whose SHA-256 fixes the population: units by id, one tab-separated line each. */
export function populationDigestText(units: readonly DrawUnit[]): string {
  // a population read from the database comes sorted by id already: sort only when it is not
  let sorted = units;
  for (let i = 1; i < units.length; i++) {
    if (cmp(units[i - 1]!.id, units[i]!.id) > 0) {
      sorted = [...units].sort((a, b) => cmp(a.id, b.id));
      break;
    }
  }
  const lines: string[] = new Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const u = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.id === u.id) fail('DUPLICATE', `/population/${i}/id`, `unit ${u.id} appears twice in the population`);
    lines[i] = `${u.id}\t${u.stratum}\t${u.grade ?? ''}\t${u.organisationId}\t${u.region}\n`;
  }
  return lines.join('');
}

/** The population as its digest text lists it (the inverse of populationDigestText). */
export function populationFromDigestText(text: string): DrawUnit[] {
  if (text === '') return [];
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      const [id, stratum, grade, organisationId, region] = line.split('\t');
      return { id: id!, stratum: stratum!, grade: (grade || null) as Grade | null, organisationId: organisationId!, region: region! };
    });
}

/** The key of a unit: the largest of its first `weight` 16-hex-digit numbers. */
export function unitKey(hmac: HmacSha256, seed: string, unitId: string, weight: number): string {
  let best = '';
  for (let c = 0; c * 4 < weight; c++) {
    const block = hmac(seed, `target|${unitId}|${c}`);
    for (let j = 0; j < 4 && c * 4 + j < weight; j++) {
      const n = block.slice(j * 16, j * 16 + 16);
      if (n > best) best = n;
    }
  }
  return best;
}

function sampleSize(rule: SampleRule, units: number): number {
  if ('size' in rule) return Math.min(rule.size, units);
  return Math.min(units, new Decimal(units).times(rule.rate).ceil().toNumber());
}

/**
 * Draws the plan: the targets of every stratum and their inspectors.
 * `populationHash` is SHA-256 of `populationDigestText(population)`, computed by the caller.
 */
export function drawSpotCheck(input: {
  readonly rules: DrawRules;
  readonly population: readonly DrawUnit[];
  readonly populationHash: string;
  readonly inspectors: readonly Inspector[];
  readonly pastInspections: readonly PastInspection[];
  readonly hmac: HmacSha256;
}): DrawResult {
  const { rules, population, hmac } = input;
  checkWeights(rules.weights, '/weights');
  if (!Number.isInteger(rules.inspectorsPerTarget) || rules.inspectorsPerTarget < 1)
    fail('INVALID_FIELD', '/inspectorsPerTarget', 'at least one inspector per target');

  // keys in an array beside the population, strata as lists of indices: no object per unit
  const keys: string[] = new Array(population.length);
  const strata = new Map<string, number[]>();
  for (let i = 0; i < population.length; i++) {
    const unit = population[i]!;
    keys[i] = unitKey(hmac, rules.seed, unit.id, unit.grade ? rules.weights[unit.grade] : rules.weights.ungraded);
    let list = strata.get(unit.stratum);
    if (!list) strata.set(unit.stratum, (list = []));
    list.push(i);
  }

  const drawn: Array<{ unit: DrawUnit; key: string }> = [];
  const summaries: StratumDraw[] = [];
  for (const name of [...strata.keys()].sort(cmp)) {
    const list = strata.get(name)!;
    const n = sampleSize(rules.strata?.[name] ?? rules.sample, list.length);
    const picked = largest(list, n, keys, population).map((i) => ({ unit: population[i]!, key: keys[i]! }));
    drawn.push(...picked);
    const byGrade = {
      A: { units: 0, drawn: 0 },
      B: { units: 0, drawn: 0 },
      C: { units: 0, drawn: 0 },
      D: { units: 0, drawn: 0 },
      ungraded: { units: 0, drawn: 0 },
    };
    for (const i of list) byGrade[population[i]!.grade ?? 'ungraded'].units++;
    for (const { unit } of picked) byGrade[unit.grade ?? 'ungraded'].drawn++;
    summaries.push({ stratum: name, size: list.length, drawn: picked.length, byGrade });
  }
  drawn.sort(byKeyDescending);

  const assigned = assignInspectors(drawn, input.inspectors, input.pastInspections, rules, hmac);
  return { populationHash: input.populationHash, populationSize: population.length, strata: summaries, targets: assigned.targets, load: assigned.load };
}

function assignInspectors(
  drawn: ReadonlyArray<{ unit: DrawUnit; key: string }>,
  inspectors: readonly Inspector[],
  past: readonly PastInspection[],
  rules: DrawRules,
  hmac: HmacSha256,
): { targets: DrawnTarget[]; load: Record<string, number> } {
  const load: Record<string, number> = {};
  for (const i of inspectors) load[i.id] = 0;
  const since = addMonths(rules.drawDate, -rules.coolingOffMonths);
  const recent = new Set<string>();
  for (const p of past) {
    if (compareDates(p.on, since) > 0 && compareDates(p.on, rules.drawDate) <= 0) recent.add(`${p.inspectorId}\u0000${p.organisationId}`);
  }
  const targets: DrawnTarget[] = [];
  for (const { unit, key } of drawn) {
    const eligible = inspectors.filter(
      (i) =>
        (i.regions.length === 0 || i.regions.some((r) => regionContains(r, unit.region))) &&
        !i.conflicts.includes(unit.organisationId) &&
        !recent.has(`${i.id}\u0000${unit.organisationId}`),
    );
    const ranked = eligible
      .map((i) => ({ id: i.id, tie: hmac(rules.seed, `assign|${unit.id}|${i.id}|0`).slice(0, 16) }))
      .sort((a, b) => load[a.id]! - load[b.id]! || cmp(b.tie, a.tie) || cmp(a.id, b.id));
    const chosen = ranked.slice(0, rules.inspectorsPerTarget).map((r) => r.id);
    for (const id of chosen) load[id]!++;
    const short = rules.inspectorsPerTarget - chosen.length;
    targets.push({
      unitId: unit.id,
      stratum: unit.stratum,
      organisationId: unit.organisationId,
      region: unit.region,
      grade: unit.grade,
      key,
      inspectors: chosen,
      unassigned:
        short === 0
          ? null
          : `${eligible.length} of ${inspectors.length} inspectors cover region ${unit.region} without a conflict with ${unit.organisationId}; ${rules.inspectorsPerTarget} are needed`,
    });
  }
  return { targets, load };
}

/** The indices of the n units with the largest keys, largest first (a bounded selection: one pass and a small sort). */
function largest(list: readonly number[], n: number, keys: readonly string[], units: readonly DrawUnit[]): number[] {
  if (n <= 0) return [];
  // a before b when its key is larger, or equal with the smaller id
  const before = (a: number, b: number): number => cmp(keys[b]!, keys[a]!) || cmp(units[a]!.id, units[b]!.id);
  if (n * 4 >= list.length) return [...list].sort(before).slice(0, n);
  // a min-heap of the n best so far: its root is the worst of them
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => before(a, b) > 0;
  for (const item of list) {
    if (heap.length < n) {
      heap.push(item);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    } else if (worse(heap[0]!, item)) {
      heap[0] = item;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
  }
  return heap.sort(before);
}

function byKeyDescending(a: { key: string; unit: DrawUnit }, b: { key: string; unit: DrawUnit }): number {
  return cmp(b.key, a.key) || cmp(a.unit.id, b.unit.id);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where a re-draw disagrees with the published result; empty when it agrees. */
export function compareDraws(published: Pick<DrawResult, 'populationHash' | 'targets'>, redrawn: Pick<DrawResult, 'populationHash' | 'targets'>): string[] {
  const differences: string[] = [];
  if (published.populationHash !== redrawn.populationHash) {
    differences.push(`the population's hash is ${redrawn.populationHash}, the plan published ${published.populationHash}: the population was changed`);
  }
  const n = Math.max(published.targets.length, redrawn.targets.length);
  for (let i = 0; i < n; i++) {
    const a = published.targets[i];
    const b = redrawn.targets[i];
    if (!a || !b) {
      differences.push(`target ${i + 1}: published ${a?.unitId ?? 'none'}, re-drawn ${b?.unitId ?? 'none'}`);
    } else if (a.unitId !== b.unitId) {
      differences.push(`target ${i + 1}: published ${a.unitId}, re-drawn ${b.unitId}`);
    } else if (a.inspectors.join(',') !== b.inspectors.join(',')) {
      differences.push(
        `target ${i + 1} (${a.unitId}): published inspectors ${a.inspectors.join(', ') || 'none'}, re-drawn ${b.inspectors.join(', ') || 'none'}`,
      );
    }
    if (differences.length >= 20) break;
  }
  return differences;
}
