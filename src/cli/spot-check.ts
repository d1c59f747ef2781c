/**
 * `metrotrace spot-check verify PLAN.json`: draws a published spot-check plan
 * again from its own seed, population, weights, samples and inspector pool —
 * no database, no server — and says whether the targets and the inspectors
 * are the ones published, and whether the population is the one its hash fixes.
 * Exit 0: the same draw; 3: it differs; 2: the file is not a plan.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type PublishedPlan, redraw } from '../app/supervision.ts';
import { fail } from '../core/errors.ts';
import { hmacSha256Hex, sha256Hex } from '../runtime/digests.ts';
import type { Command } from './command.ts';

const USAGE = `metrotrace spot-check verify PLAN.json [--json]
  PLAN.json: the plan as published (GET /v1/spot-checks/{id}/plan.json)`;

function readPlan(file: string): PublishedPlan {
  let plan: unknown;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail('INVALID_JSON', file, `cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  const p = plan as Partial<PublishedPlan>;
  for (const field of ['seed', 'drawDate', 'rules', 'population', 'populationHash', 'inspectors', 'pastInspections', 'result'] as const) {
    if (p?.[field] === undefined)
      fail('MISSING_FIELD', `/${field}`, `${file} has no '${field}': download the whole plan from GET /v1/spot-checks/{id}/plan.json`);
  }
  return p as PublishedPlan;
}

export const spotCheckCommand: Command = {
  summary: 'Draw a published spot-check plan again from its seed and population and check the targets and inspectors are the ones published',
  usage: USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (verb !== 'verify' || positionals.length !== 1) {
      console.error(USAGE);
      return 2;
    }
    const plan = readPlan(positionals[0]!);
    const { result, differences } = redraw(plan, hmacSha256Hex, sha256Hex);
    const same = differences.length === 0;
    if (values.json) {
      console.log(JSON.stringify({ same, populationHash: result.populationHash, targets: result.targets.length, differences }));
    } else if (same) {
      console.log(
        `the same draw: ${result.targets.length} targets and their inspectors, from a population of ${result.populationSize} whose SHA-256 is ${result.populationHash}`,
      );
    } else {
      console.log(`the draw differs from the published plan:\n${differences.map((d) => `  ${d}`).join('\n')}`);
    }
    return same ? 0 : 3;
  },
};
