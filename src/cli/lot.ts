/**
 * `metrotrace lot …`: plan and verify without a database or a server; the
 * rotation plan from the configured database.
 *
 * - `lot plan --lot-size N --aql A [--level II] [--severity normal] [--lq 0.05]`:
 *   the GB/T 2828.1 single sampling plan for a lot (code letter, n, Ac, Re,
 *   the arrows followed) with the producer's risk at the AQL and, given an LQ,
 *   the consumer's risk (hypergeometric for the lot).
 * - `lot plan --method variables --lot-size N --aql A [--level II] [--severity normal] [--lq 0.05]`:
 *   the variables plan (ANSI/ASQ Z1.9 s method: code letter, n, k), as
 *   `POST /v1/lots/{id}/sampling-plans` with method variables draws it, with
 *   the producer's and, given an LQ, the consumer's risk under the normal
 *   model for one limit (noncentral t; core/sampling/variables-oc.ts).
 * - `lot verify PLAN.json`: draws a published lot sampling plan
 *   (GET /v1/lots/{id}/sampling-plans/{planId}) again from its seed and
 *   members and says whether the sample is the one published.
 *
 * - `lot rotation --months N [--from D] [--region 310000] [--owner ID] [--capacity N]`:
 *   the meters to be replaced over the horizon by month and region (lots to
 *   rotate with all their meters, registered meters whose life ends), as
 *   GET /v1/rotation-plan gives it.
 *
 * - `lot history LOT_ID [--at D] [--csv [--lang zh]]`: the lot's events in
 *   date order with its state after each, as GET /v1/lots/{id}/history.csv
 *   gives them (the CSV without the byte-order mark, for a pipeline).
 *
 * Exit 0: done, or the same sample; 3: the sample differs; 2: usage or a bad file.
 */
import { REGION_PATTERN } from '../codecs/contracts/common.ts';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type PublishedLotPlan, redrawLotPlan } from '../app/lots.ts';
import { LOT_EVENT_NAMES, lotHistoryCsv } from '../codecs/lot-reports.ts';
import { fail } from '../core/errors.ts';
import { Decimal, parseDecimal } from '../core/numeric/decimal.ts';
import { AQLS, INSPECTION_LEVELS } from '../core/sampling/iso2859-tables.ts';
import { planRisks } from '../core/sampling/oc.ts';
import { isAql, isInspectionLevel, lotPlan, SEVERITIES, type Severity } from '../core/sampling/plans.ts';
import { isZ19Aql, isZ19Level, variablesPlan } from '../core/sampling/variables.ts';
import { VARIABLES_OC_MODEL, variablesRisks } from '../core/sampling/variables-oc.ts';
import { Z19_AQLS, Z19_LEVELS, Z19_SOURCES } from '../core/sampling/z19-tables.ts';
import { hmacSha256Hex, sha256Hex } from '../runtime/digests.ts';
import { today } from '../runtime/ambient.ts';
import { parseDate } from '../core/dates.ts';
import type { Command } from './command.ts';

const USAGE = `metrotrace lot plan --lot-size N --aql AQL [--level ${INSPECTION_LEVELS.join('|')}] [--severity ${SEVERITIES.join('|')}] [--lq FRACTION] [--json]
  AQL as printed in the tables, percent nonconforming: ${AQLS.join(', ')}
metrotrace lot plan --method variables --lot-size N --aql AQL [--level ${Z19_LEVELS.join('|')}] [--severity normal|tightened] [--lq FRACTION] [--json]
  n and k of the s method (ANSI/ASQ Z1.9 Tables A-2, B-1; not GB/T 6378.1), AQL: ${Z19_AQLS.join(', ')}
metrotrace lot verify PLAN.json [--json]
  PLAN.json: a lot's sampling plan as published (GET /v1/lots/{id}/sampling-plans/{planId})
metrotrace lot rotation --months N [--from YYYY-MM-DD] [--region 310000] [--owner ID] [--capacity METERS_A_MONTH] [--json]
  the meters to be replaced by month and region: lots to rotate (all their meters) and registered meters whose life ends
metrotrace lot history LOT_ID [--at YYYY-MM-DD] [--csv [--lang en|zh]] [--json]
  the lot's events in date order (registered, plans drawn, decisions, extension or life ended, rotated) with its state after each`;

function readPublished(file: string): PublishedLotPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail('INVALID_JSON', file, `cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  const p = raw as Partial<PublishedLotPlan>;
  for (const field of ['lot', 'plan', 'members'] as const) {
    if (p?.[field] === undefined)
      fail('MISSING_FIELD', `/${field}`, `${file} has no '${field}': download the whole plan from GET /v1/lots/{id}/sampling-plans/{planId}`);
  }
  return p as PublishedLotPlan;
}

export const lotCommand: Command = {
  summary:
    "Plan a lot by GB/T 2828.1 (n, Ac, Re and the risks) or by variables (ANSI/ASQ Z1.9: n, k and the risks), draw a published lot sampling plan again and check its sample, plan the rotation of meters by month and region, or list a lot's history",
  usage: USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        'lot-size': { type: 'string' },
        aql: { type: 'string' },
        level: { type: 'string' },
        severity: { type: 'string' },
        method: { type: 'string' },
        lq: { type: 'string' },
        months: { type: 'string' },
        from: { type: 'string' },
        region: { type: 'string' },
        owner: { type: 'string' },
        capacity: { type: 'string' },
        at: { type: 'string' },
        csv: { type: 'boolean' },
        lang: { type: 'string' },
      },
    });
    if (verb === 'rotation' && positionals.length === 0) {
      if (!values.months || !/^[0-9]{1,3}$/.test(values.months) || (values.capacity !== undefined && !/^[0-9]{1,9}$/.test(values.capacity))) {
        console.error(USAGE);
        return 2;
      }
      if (values.region !== undefined && !REGION_PATTERN.test(values.region)) fail('INVALID_FIELD', '--region', 'a region is a six-digit GB/T 2260 code');
      const from = parseDate(values.from ?? today(), '--from');
      // the database (and the services) only for the verbs that read it: plan and verify start without them
      const { verificationServicesOf, withDatabase } = await import('./open.ts');
      const plan = await withDatabase((db) =>
        verificationServicesOf(db).lots.rotationPlan({
          from,
          months: Number(values.months),
          regionCode: values.region,
          ownerId: values.owner,
          capacityPerMonth: values.capacity === undefined ? null : Number(values.capacity),
        }),
      );
      if (values.json) {
        console.log(JSON.stringify(plan, null, 2));
        return 0;
      }
      const s = plan.summary;
      const lines = [
        `rotation plan ${plan.from} to ${plan.to}: ${s.meters} meter(s) to replace — ${s.lots} lot(s), ${s.instruments} registered meter(s); ${s.overdue} already past their rotation date${plan.capacityPerMonth === null ? '' : `; capacity ${plan.capacityPerMonth} a month: ${s.late} late, ${s.unplaced} unplaced`}`,
      ];
      for (const r of plan.rows)
        lines.push(
          `  ${r.month} ${r.regionCode}: ${r.due} due${r.overdue ? ` (${r.overdue} overdue)` : ''}, ${r.scheduled} scheduled${r.late ? ` (${r.late} late)` : ''}${r.lots.length ? `; lots ${r.lots.join(', ')}` : ''}${r.instruments ? `; ${r.instruments} registered meter(s)` : ''}`,
        );
      for (const l of plan.lots) lines.push(`  lot ${l.id} (${l.size} meters, ${l.region}): rotate by ${l.rotateBy} — ${l.reason}`);
      console.log(lines.join('\n'));
      return 0;
    }
    if (verb === 'history' && positionals.length === 1) {
      if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'zh') {
        console.error(USAGE);
        return 2;
      }
      const at = parseDate(values.at ?? today(), '--at');
      const { BRIEF, verificationServicesOf, withDatabase } = await import('./open.ts');
      const history = await withDatabase((db) => verificationServicesOf(db).lots.history(positionals[0]!, at), BRIEF);
      if (values.csv) process.stdout.write(lotHistoryCsv(history, { lang: (values.lang as 'en' | 'zh' | undefined) ?? 'en' }));
      else if (values.json) console.log(JSON.stringify(history, null, 2));
      else {
        const lines = [
          `lot ${history.lot.id}: ${history.lot.size} meters of ${history.lot.category} ${history.lot.model}, installed ${history.lot.installedFrom} to ${history.lot.installedTo}${history.lifeEndsOn ? `, life to ${history.lifeEndsOn}` : ''}; history through ${history.through}`,
        ];
        for (const e of history.events)
          lines.push(`  ${e.on} ${LOT_EVENT_NAMES[e.kind].en}${e.planId ? ` (${e.planId})` : ''} → ${e.status.state}: ${e.status.reason}`);
        console.log(lines.join('\n'));
      }
      return 0;
    }
    if (verb === 'plan' && positionals.length === 0 && values.method === 'variables') {
      const lotSize = Number(values['lot-size']);
      const level = values.level ?? 'II';
      const severity = values.severity ?? 'normal';
      if (!Number.isInteger(lotSize) || !isZ19Aql(values.aql) || !isZ19Level(level) || (severity !== 'normal' && severity !== 'tightened')) {
        console.error(USAGE);
        return 2;
      }
      const plan = variablesPlan({ lotSize, level, aql: values.aql, severity });
      const lq = values.lq === undefined ? null : parseDecimal(values.lq, '--lq');
      if (lq !== null && (lq.lessThanOrEqualTo(0) || lq.greaterThan(1))) {
        console.error('--lq is a fraction nonconforming in (0, 1], e.g. 0.05 for 5 %');
        return 2;
      }
      const risks = variablesRisks(plan.sampleSize, new Decimal(plan.k), new Decimal(plan.aql).dividedBy(100), lq);
      const producersRisk = risks.producersRisk.toSignificantDigits(6).toString();
      const consumersRisk = risks.consumersRisk?.toSignificantDigits(6).toString() ?? null;
      if (values.json) console.log(JSON.stringify({ ...plan, standard: Z19_SOURCES.standard, producersRisk, consumersRisk, ocModel: VARIABLES_OC_MODEL }));
      else {
        console.log(
          `lot of ${lotSize}, level ${level}, AQL ${plan.aql} %, ${severity}, variables (${Z19_SOURCES.standard}): code letter ${plan.codeLetter}${plan.arrows.length ? ` (${plan.arrows.join(', ')})` : ''}`,
        );
        console.log(
          `measure the error of ${plan.sampleSize} meters; accept when (MPE − x̄)/s ≥ ${plan.k} and (x̄ + MPE)/s ≥ ${plan.k} and no meter is outside ±MPE`,
        );
        console.log(
          `producer's risk at the AQL: ${producersRisk}${lq ? `; consumer's risk at LQ ${lq.toString()}: ${consumersRisk}` : ''} (${VARIABLES_OC_MODEL})`,
        );
      }
      return 0;
    }
    if (verb === 'plan' && positionals.length === 0 && (values.method ?? 'attributes') === 'attributes') {
      const lotSize = Number(values['lot-size']);
      const level = values.level ?? 'II';
      const severity = (values.severity ?? 'normal') as Severity;
      if (!Number.isInteger(lotSize) || !isAql(values.aql) || !isInspectionLevel(level) || !SEVERITIES.includes(severity)) {
        console.error(USAGE);
        return 2;
      }
      const plan = lotPlan({ lotSize, level, aql: values.aql, severity });
      const lq = values.lq === undefined ? null : parseDecimal(values.lq, '--lq');
      const risks = planRisks(plan.sampleSize, plan.acceptance, new Decimal(plan.aql).dividedBy(100), lq, lotSize);
      const out = {
        ...plan,
        producersRisk: risks.producersRisk.toSignificantDigits(6).toString(),
        consumersRisk: risks.consumersRisk?.toSignificantDigits(6).toString() ?? null,
      };
      if (values.json) console.log(JSON.stringify(out));
      else {
        console.log(
          `lot of ${lotSize}, level ${level}, AQL ${plan.aql} %, ${severity}: code letter ${plan.codeLetter}${plan.arrows.length ? ` (${plan.arrows.join(', ')})` : ''}`,
        );
        console.log(
          `inspect ${plan.sampleSize}${plan.hundredPercent ? ' (100 %: the table sample is not smaller than the lot)' : ''}; accept with at most ${plan.acceptance} nonconforming, reject with ${plan.rejection} or more`,
        );
        console.log(
          `producer's risk at the AQL: ${out.producersRisk}${lq ? `; consumer's risk at LQ ${lq.toString()}: ${out.consumersRisk}` : ''} (hypergeometric, lot of ${lotSize})`,
        );
      }
      return 0;
    }
    if (verb === 'verify' && positionals.length === 1) {
      const published = readPublished(positionals[0]!);
      const differences = redrawLotPlan(published, hmacSha256Hex, sha256Hex);
      const same = differences.length === 0;
      if (values.json) console.log(JSON.stringify({ same, sampleSize: published.plan.sampleSize, differences }));
      else if (same)
        console.log(
          `the same sample: ${published.plan.sampleSize} of the ${published.members.length} members of lot ${published.lot.id}, whose SHA-256 is ${published.plan.populationHash}`,
        );
      else console.log(`the sample differs from the published plan:\n${differences.map((d) => `  ${d}`).join('\n')}`);
      return same ? 0 : 3;
    }
    console.error(USAGE);
    return 2;
  },
};
